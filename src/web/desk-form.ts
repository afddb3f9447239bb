import { BadRequestException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { normaliseBookingCode } from '../bookings/booking-codes';
import type { DeskCheckInDto } from '../bookings/dto/desk.dto';

/** Booking codes are this long; cards are longer, so a scan says by its shape which it is. */
const CODE_LENGTH = 6;

/**
 * What the desk's one field holds: a library card (digits only, longer than a code) or a booking
 * code. A six-digit entry could be either: it is tried as a code first.
 */
export function readScan(text: string): Pick<DeskCheckInDto, 'code' | 'cardNumber'> {
  const compact = text.trim().replace(/[\s-]/g, '');
  if (/^\d+$/.test(compact) && compact.length !== CODE_LENGTH) return { cardNumber: compact };
  return { code: normaliseBookingCode(compact) };
}

/** A `datetime-local` field's wall time in the library's zone. */
export function localInput(value: string | undefined, zone: string, what: string): DateTime {
  const time = value ? DateTime.fromISO(value, { zone }) : null;
  if (!time?.isValid || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value ?? ''))
    throw new BadRequestException(`Give the ${what} as a date and a time.`);
  return time;
}

/** The start of the time step `time` falls in, counted from local midnight. */
export function floorToStep(time: DateTime, stepMinutes: number): DateTime {
  if (stepMinutes >= 1440) return time.startOf('day');
  const minuteOfDay = time.hour * 60 + time.minute;
  const floored = minuteOfDay - (minuteOfDay % stepMinutes);
  return time.set({
    hour: Math.floor(floored / 60),
    minute: floored % 60,
    second: 0,
    millisecond: 0,
  });
}

/** `YYYY-MM-DDTHH:mm`, what a `datetime-local` field shows. */
export function toLocalInput(time: DateTime): string {
  return time.toFormat("yyyy-LL-dd'T'HH:mm");
}
