import type { Request, Response } from 'express';
import { renderToString } from 'preact-render-to-string';
import type { AuthenticatedRequest } from '../common/decorators/auth.decorators';
import { csrfTokenForRequest } from './csrf';
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
  settings: { zone: string; publicUrl: string; now: Date },
): void {
  if (status === 401) {
    const next = request.method === 'GET' ? request.originalUrl : '/';
    response.redirect(303, `/login?next=${encodeURIComponent(next)}`);
    return;
  }
  const ctx = {
    user: (request as AuthenticatedRequest).user ?? null,
    csrf: csrfTokenForRequest(request, response),
    flash: null,
    path: request.originalUrl,
    ...settings,
  };
  response
    .status(status)
    .type('html')
    .setHeader('Cache-Control', 'no-store')
    .send(
      `<!doctype html>${renderToString(<ErrorPage ctx={ctx} status={status} message={message} />)}`,
    );
}
