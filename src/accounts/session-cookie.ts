import type { Response } from 'express';
import { SESSION_COOKIE } from './session.guard';

/** The browser's copy of the session: HttpOnly so scripts never see it, SameSite against other sites. */
export function setSessionCookie(
  response: Response,
  token: string,
  expiresAt: Date,
  publicUrl: string,
): void {
  response.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: publicUrl.startsWith('https:'),
    expires: expiresAt,
    path: '/',
  });
}

export function clearSessionCookie(response: Response): void {
  response.clearCookie(SESSION_COOKIE, { path: '/' });
}
