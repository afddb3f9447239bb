import { randomUUID } from 'node:crypto';
import { BadRequestException } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { EquipmentKind } from '../equipment/equipment.entity';
import { isRealDate } from '../common/time';
import { field } from './pages.service';

/**
 * The interval a booking form asks for, as the API's ISO strings: a station's start button plus
 * the chosen length, or a kit's pick-up and return days (local midnight to the midnight after).
 */
export function requestedSpan(
  kind: EquipmentKind,
  body: unknown,
  zone: string,
): { start: string; end: string } {
  if (kind === 'loan') {
    const from = field(body, 'from') ?? '';
    const to = field(body, 'to') ?? '';
    if (!isRealDate(from)) throw new BadRequestException('Pick a pick-up day.');
    if (!isRealDate(to)) throw new BadRequestException('Pick a return day.');
    if (to < from) throw new BadRequestException('The return day is before the pick-up day.');
    return {
      start: DateTime.fromISO(from, { zone }).startOf('day').toISO()!,
      end: DateTime.fromISO(to, { zone }).startOf('day').plus({ days: 1 }).toISO()!,
    };
  }
  const start = field(body, 'start') ?? '';
  const minutes = Number(field(body, 'minutes'));
  const startAt = DateTime.fromISO(start);
  if (!startAt.isValid) throw new BadRequestException('Pick a start time from the list.');
  if (!Number.isInteger(minutes) || minutes <= 0 || minutes > 60 * 24 * 60)
    throw new BadRequestException('Pick how long you need it.');
  return { start, end: startAt.plus({ minutes }).toUTC().toISO() };
}

/** Where to send the patron back to: the same day of the same page. */
export function backTo(path: string, body: unknown): string {
  const date = field(body, 'date');
  return date && isRealDate(date) ? `${path}?date=${date}` : path;
}

/**
 * The hidden field that makes a booking form book once however often it is sent (a double click,
 * a retry after a slow answer): its value goes to the booking service as the API's
 * `Idempotency-Key`, so a second submit answers with the booking the first one made.
 */
export const FORM_KEY_FIELD = 'idempotencyKey';

/** A fresh key for one rendered booking form. */
export function newFormKey(): string {
  return randomUUID();
}

/** The posted form's key, if it carries one (the same shape the API allows in the header). */
export function formKey(body: unknown): string | undefined {
  const key = field(body, FORM_KEY_FIELD);
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key))
    throw new BadRequestException('This form is damaged. Please reload the page and try again.');
  return key;
}
