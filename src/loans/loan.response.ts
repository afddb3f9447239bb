import { formatNullableInstant } from '../common/time';
import type { BookingWithParties } from '../bookings/booking-notifier';
import { BookingResponse, toBookingResponse } from '../bookings/booking.response';
import { dueDate, overdueDays } from '../bookings/overdue-kit';

export class LoanResponse extends BookingResponse {
  assetTag: string | null;
  /** The last local day of the loan: the kit is due back at the desk by closing time. */
  dueDate: string;
  checkedOutAt: string | null;
  /** The parts handed over. */
  partsOut: string[];
  returnedAt: string | null;
  /** How the kit came back. */
  condition: string | null;
  /** Parts handed over that did not come back. */
  missingParts: string[];
  /** Local days late: until it came back, or until today while it is still out. */
  overdueDays: number;
}

export class OverdueLoanResponse {
  loan: LoanResponse;
  overdueDays: number;
  /** Later reservations of the kit, which cannot be handed over until it comes back. */
  collisions: BookingResponse[];
}

export function toLoanResponse(loan: BookingWithParties, zone: string, now: Date): LoanResponse {
  const out = loan.status === 'checked_in' || loan.status === 'completed';
  const back = loan.status === 'completed' ? loan.completedAt : null;
  return {
    ...toBookingResponse(loan, zone),
    assetTag: loan.equipment.assetTag,
    dueDate: dueDate(loan.end, zone),
    checkedOutAt: formatNullableInstant(loan.checkedInAt, zone),
    partsOut: loan.partsOut ?? [],
    returnedAt: formatNullableInstant(back, zone),
    condition: loan.returnCondition,
    missingParts: loan.missingParts ?? [],
    overdueDays: out && loan.checkedInAt ? overdueDays(loan.end, back ?? now, zone) : 0,
  };
}
