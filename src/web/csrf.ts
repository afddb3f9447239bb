import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SESSION_COOKIE } from '../accounts/session.guard';

/** Holds a random value for visitors who are not signed in yet (the sign-in and register forms). */
export const CSRF_COOKIE = 'dml_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type CookieRequest = Request & { cookies?: Record<string, string> };

/**
 * The form token is an HMAC keyed by a secret the browser holds in an HttpOnly cookie (the session,
 * or before sign-in a random value): another site can make the browser send the cookie but can
 * neither read it nor compute the token from it.
 */
export function csrfTokenFor(secret: string): string {
  return createHmac('sha256', secret).update('dml-csrf').digest('base64url');
}

function secretOf(request: CookieRequest): string | undefined {
  const cookies = request.cookies as Record<string, string> | undefined;
  return cookies?.[SESSION_COOKIE] || cookies?.[CSRF_COOKIE] || undefined;
}

/** The token to put in this visitor's forms; gives a new visitor the cookie it is keyed by. */
export function csrfTokenForRequest(request: CookieRequest, response: Response): string {
  let secret = secretOf(request);
  if (!secret) {
    secret = randomBytes(24).toString('base64url');
    response.cookie(CSRF_COOKIE, secret, { httpOnly: true, sameSite: 'lax', path: '/' });
    request.cookies = { ...(request.cookies ?? {}), [CSRF_COOKIE]: secret };
  }
  return csrfTokenFor(secret);
}

/**
 * Every state-changing request that rides on cookies must prove it came from our own page: the
 * pages' forms carry the token in a hidden field, the pages' scripts in a header. Requests with a
 * Bearer token (API clients) carry no ambient authority and are left alone, as are anonymous API
 * calls without cookies.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<CookieRequest>();
    if (SAFE_METHODS.has(request.method)) return true;
    if (request.headers.authorization?.startsWith('Bearer ')) return true;
    const isPage = !request.path.startsWith('/api/');
    const hasSession = Boolean(request.cookies?.[SESSION_COOKIE]);
    if (!isPage && !hasSession) return true;
    if (crossSite(request)) {
      throw new ForbiddenException({
        code: 'CSRF',
        message: 'This form was sent from another site. Please use the form on our own pages.',
      });
    }
    const secret = secretOf(request);
    const body = request.body as Record<string, unknown> | undefined;
    // A file upload's fields are parsed after the guards run, so its form carries the token in
    // its action's query string instead.
    const multipart = request.is('multipart/form-data') === 'multipart/form-data';
    const query = multipart ? (request.query as Record<string, unknown>)[CSRF_FIELD] : undefined;
    const sent = request.headers[CSRF_HEADER] ?? body?.[CSRF_FIELD] ?? query;
    if (secret && typeof sent === 'string' && sameToken(sent, csrfTokenFor(secret))) return true;
    throw new ForbiddenException({
      code: 'CSRF',
      message: 'This form has expired. Please reload the page and try again.',
    });
  }
}

/**
 * Whether the browser says the request comes from another site: `Sec-Fetch-Site` where browsers
 * send it, else an `Origin` naming another host. A login form on another site is refused even
 * with a token, so nobody can sign a visitor into an account of theirs (login CSRF). Clients that
 * send neither header (not browsers) are judged by the token alone.
 */
function crossSite(request: Request): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
