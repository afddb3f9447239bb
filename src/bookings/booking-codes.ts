import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be misread aloud or on a screen (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). */
const ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';

export function newBookingCode(length = 6): string {
  let code = '';
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export function normaliseBookingCode(text: string): string {
  return text.trim().toUpperCase().replace(/[\s-]/g, '');
}
