import type { Request, Response } from 'express';
import { SESSION_COOKIE } from '../accounts/session.guard';
import { isRealDate } from '../common/time';
import { setFlash } from './flash';
import { pageContext, sendPage } from './render';
import type { PageSettings } from './views/context';
import { ErrorPage } from './views/error-page';

/** Requests for pages, not for the API: they get a page back when something is refused. */
export function wantsPage(request: Request): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD' || request.method === 'POST') &&
    !request.path.startsWith('/api/') &&
    request.path !== '/api' &&
    request.path !== '/health'
  );
}

const BOOKING_FORM = /^\/equipment\/([^/]+)\/book$/;

/**
 * Where to come back to after signing in, and what to say on the sign-in page: the page asked
 * for; for a booking form sent after the session ended, the device's page (the booking was not
 * made, so the patron picks the time again).
 */
export function signInFirst(request: Request): { next: string; text: string; refused: boolean } {
  const cookies = (request as { cookies?: Record<string, string> }).cookies;
  const ended = Boolean(cookies?.[SESSION_COOKIE]);
  if (request.method === 'GET' || request.method === 'HEAD')
    return {
      next: request.originalUrl,
      text: ended ? 'Your session ended; sign in to carry on.' : 'Sign in to continue.',
      refused: false,
    };
  const booking = BOOKING_FORM.exec(request.path);
  if (booking) {
    const date = (request.body as Record<string, unknown> | undefined)?.date;
    const day = typeof date === 'string' && isRealDate(date) ? `?date=${date}` : '';
    return {
      next: `/equipment/${booking[1]}${day}`,
      text: `${ended ? 'Your session ended, so' : 'You are not signed in, so'} the booking was not made. Sign in and book again.`,
      refused: true,
    };
  }
  return {
    next: '/',
    text: `${ended ? 'Your session ended' : 'You are not signed in'}, so that was not done. Sign in and try again.`,
    refused: true,
  };
}

/**
 * The page for an error on a page: sign-in first when the visitor is not signed in (and back here
 * afterwards), else the message in the site's layout.
 */
export function sendErrorPage(
  request: Request,
  response: Response,
  status: number,
  message: string,
  settings: PageSettings,
): void {
  if (status === 401) {
    const { next, text, refused } = signInFirst(request);
    setFlash(response, refused ? 'error' : 'notice', text);
    response.redirect(303, `/login?next=${encodeURIComponent(next)}`);
    return;
  }
  const ctx = pageContext(request, response, settings, null);
  sendPage(response, <ErrorPage ctx={ctx} status={status} message={message} />, status);
}
