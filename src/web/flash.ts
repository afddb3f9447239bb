import type { Request, Response } from 'express';

const FLASH_COOKIE = 'dml_flash';
/** Browsers keep cookies up to about 4 KB; the refused form's values give way to fit. */
const COOKIE_BUDGET = 3600;

/** `notice`: neither done nor refused, such as being asked to sign in first. */
export type FlashKind = 'success' | 'error' | 'notice';
const KINDS: readonly string[] = ['success', 'error', 'notice'];

/** What a refused form held, so the page shows it again instead of blank fields. */
export interface KeptForm {
  /** The path the form posted to (its `action`), so only that form is filled back. */
  form: string;
  /** The submitted fields by name; never PINs, passwords or tokens. */
  values: Record<string, string>;
}

export interface Flash {
  kind: FlashKind;
  text: string;
  kept?: KeptForm;
  /** The id of the part of the page the message is about; the page shows it there. */
  at?: string;
}

/** A message shown once on the next page, after a form post redirects (post/redirect/get). */
export function setFlash(
  response: Response,
  kind: FlashKind,
  text: string,
  kept?: KeptForm,
  at?: string,
): void {
  const flash: Flash = { kind, text: text.slice(0, 500), ...(at ? { at } : {}) };
  if (kept) flash.kept = { form: kept.form, values: { ...kept.values } };
  let value = JSON.stringify(flash);
  // Drop the longest values first: a long description is easier to lose than a short field.
  while (flash.kept && encodeURIComponent(value).length > COOKIE_BUDGET) {
    const values = flash.kept.values;
    const longest = Object.keys(values).sort((a, b) => values[b].length - values[a].length)[0];
    if (longest === undefined) delete flash.kept;
    else delete values[longest];
    value = JSON.stringify(flash);
  }
  response.cookie(FLASH_COOKIE, value, {
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
    if (KINDS.includes(parsed.kind ?? '') && typeof parsed.text === 'string')
      return {
        kind: parsed.kind!,
        text: parsed.text,
        kept: keptFrom(parsed.kept),
        ...(typeof parsed.at === 'string' && /^[a-z0-9-]{1,40}$/.test(parsed.at)
          ? { at: parsed.at }
          : {}),
      };
  } catch {
    // a cookie we did not write: ignore it
  }
  return null;
}

function keptFrom(raw: unknown): KeptForm | undefined {
  const { form, values } = (raw ?? {}) as { form?: unknown; values?: unknown };
  if (typeof form !== 'string' || !values || typeof values !== 'object') return undefined;
  const strings = Object.entries(values).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return { form, values: Object.fromEntries(strings) };
}
