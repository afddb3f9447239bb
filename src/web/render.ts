import type { Request, Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { AuthenticatedRequest } from '../common/decorators/auth.decorators';
import { csrfTokenForRequest } from './csrf';
import type { Flash } from './flash';
import type { PageContext, PageSettings } from './views/context';

/** Who is looking at a page, its form token and the settings every view formats with. */
export function pageContext(
  request: Request,
  response: Response,
  settings: PageSettings & { patronsFromIls?: boolean },
  flash: Flash | null,
): PageContext {
  return {
    user: (request as AuthenticatedRequest).user ?? null,
    csrf: csrfTokenForRequest(request, response),
    flash,
    path: request.originalUrl,
    ...settings,
  };
}

/** Sends a whole page; pages are private to the visitor, so never cached by the browser or a proxy. */
export function sendPage(response: Response, page: VNode, status = 200): void {
  response
    .status(status)
    .type('html')
    .setHeader('Cache-Control', 'no-store')
    .send(`<!doctype html>${renderToString(page)}`);
}
