import type { Request, Response } from 'express';
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
    const next = request.method === 'GET' ? request.originalUrl : '/';
    response.redirect(303, `/login?next=${encodeURIComponent(next)}`);
    return;
  }
  const ctx = pageContext(request, response, settings, null);
  sendPage(response, <ErrorPage ctx={ctx} status={status} message={message} />, status);
}
