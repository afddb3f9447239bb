import type { Request, Response } from 'express';

const FLASH_COOKIE = 'dml_flash';

export type FlashKind = 'success' | 'error';

export interface Flash {
  kind: FlashKind;
  text: string;
  /** The id of the part of the page the message is about; the page shows it there. */
  at?: string;
}

/** A message shown once on the next page, after a form post redirects (post/redirect/get). */
export function setFlash(response: Response, kind: FlashKind, text: string, at?: string): void {
  response.cookie(FLASH_COOKIE, JSON.stringify({ kind, text: text.slice(0, 500), at }), {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: 60_000,
  });
}

/** Reads and clears the message left by the previous request. */
export function takeFlash(request: Request, response: Response): Flash | null {
  const raw = (request as { cookies?: Record<string, string> }).cookies?.[FLASH_COOKIE];
  if (!raw) return null;
  response.clearCookie(FLASH_COOKIE, { path: '/' });
  try {
    const parsed = JSON.parse(raw) as Partial<Flash>;
    if ((parsed.kind === 'success' || parsed.kind === 'error') && typeof parsed.text === 'string')
      return {
        kind: parsed.kind,
        text: parsed.text,
        ...(typeof parsed.at === 'string' && /^[a-z0-9-]{1,40}$/.test(parsed.at)
          ? { at: parsed.at }
          : {}),
      };
  } catch {
    // a cookie we did not write: ignore it
  }
  return null;
}
