import type { Request, Response } from 'express';

const FLASH_COOKIE = 'dml_flash';

export type FlashKind = 'success' | 'error';

export interface Flash {
  kind: FlashKind;
  text: string;
}

/** A message shown once on the next page, after a form post redirects (post/redirect/get). */
export function setFlash(response: Response, kind: FlashKind, text: string): void {
  response.cookie(FLASH_COOKIE, JSON.stringify({ kind, text: text.slice(0, 500) }), {
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
      return { kind: parsed.kind, text: parsed.text };
  } catch {
    // a cookie we did not write: ignore it
  }
  return null;
}
