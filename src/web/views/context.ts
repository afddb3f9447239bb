import type { User } from '../../accounts/user.entity';
import type { HouseStyle } from '../../common/house-style';
import type { Flash } from '../flash';

export interface PageContext {
  user: User | null;
  /** The token every form posts back. */
  csrf: string;
  flash: Flash | null;
  /** The path and query of this page, to come back to after signing in. */
  path: string;
  /** The library's time zone: every time on a page is shown in it. */
  zone: string;
  /** How every date and time on a page is written (`LIBRARY_LOCALE` in `zone`). */
  style: HouseStyle;
  now: Date;
  publicUrl: string;
  /** `PATRON_AUTH=sip2`: the library's ILS keeps the cards and PINs; no registration or PIN changes here. */
  patronsFromIls?: boolean;
}

/** The settings every view formats with. */
export type PageSettings = Pick<PageContext, 'zone' | 'style' | 'publicUrl' | 'now'>;

export function isStaff(ctx: PageContext): boolean {
  return ctx.user?.role === 'staff' || ctx.user?.role === 'librarian';
}

export function isLibrarian(ctx: PageContext): boolean {
  return ctx.user?.role === 'librarian';
}

/**
 * What was typed into the form posting to `action` before it was refused (or only checked), to
 * fill it back in; null when that form was not just sent (then the fields show their usual values).
 */
export function keptValues(ctx: PageContext, action: string): Record<string, string> | null {
  const kept = ctx.flash?.kept;
  return kept?.form === action ? kept.values : null;
}
