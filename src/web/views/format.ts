import { DateTime } from 'luxon';
import type { HouseStyle } from '../../common/house-style';
import type { EquipmentKind } from '../../equipment/equipment.entity';

/**
 * When a booking is, as the patron and the desk read it: a station's times
 * (`Tue, Dec 1, 2:30 – 3:30 PM`), or a kit's days (`Wed, Dec 2 – Fri, Dec 4, back by closing`),
 * never midnight to midnight.
 */
export function whenLabel(
  booking: { start: Date; end: Date; equipment: { kind: EquipmentKind } },
  style: HouseStyle,
  now?: Date,
): string {
  return booking.equipment.kind === 'loan'
    ? style.kitDays(booking.start, booking.end, now)
    : style.range(booking.start, booking.end, now);
}

/** `1 h 30 min` */
export function minutesLabel(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (!hours) return `${rest} min`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

export function plusDays(date: string, days: number, zone: string): string {
  return DateTime.fromISO(date, { zone }).plus({ days }).toISODate()!;
}
