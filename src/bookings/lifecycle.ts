import type { EquipmentKind } from '../equipment/equipment.entity';
import type { BookingStatus } from './booking.entity';

/**
 * What can happen to a booking. `create` and `request` start from `new`, before the row exists:
 * `request` makes a booking that waits for staff approval, and takes a confirmed one back there
 * when its patron moves it.
 */
export const BOOKING_EVENTS = [
  'create',
  'request',
  'approve',
  'deny',
  'cancel',
  'check_in',
  'hand_over',
  'complete',
  'take_back',
  'no_show',
  'displace',
  'expire',
] as const;
export type BookingEvent = (typeof BOOKING_EVENTS)[number];

export type LifecycleRefusalCode =
  'WRONG_STATUS' | 'USE_THE_LOAN_DESK' | 'NOT_A_LOAN_KIT' | 'IN_USE';

export interface LifecycleRefusal {
  code: LifecycleRefusalCode;
  message: string;
}

export type Transition = { next: BookingStatus } | { refused: LifecycleRefusal };

const LOAN_DESK =
  'at the loan desk (/desk/loans), with its asset tag, parts checklist and condition';

/** Events only a loan kit has (handed over and taken back at the loan desk)… */
const KIT_EVENTS: BookingEvent[] = ['hand_over', 'take_back'];
/** …and events a kit never takes outside the loan desk. */
const STATION_EVENTS: BookingEvent[] = ['check_in', 'complete'];

/**
 * Where each event leads from each status, the same for stations and kits once the kind rules
 * below have passed. Anything missing is refused: a finished booking never changes again.
 */
const NEXT: Record<BookingStatus | 'new', Partial<Record<BookingEvent, BookingStatus>>> = {
  new: { create: 'confirmed', request: 'pending' },
  pending: {
    approve: 'confirmed',
    deny: 'cancelled',
    cancel: 'cancelled',
    expire: 'cancelled',
    displace: 'displaced',
  },
  confirmed: {
    request: 'pending',
    cancel: 'cancelled',
    check_in: 'checked_in',
    hand_over: 'checked_in',
    // Staff may finish a booking nobody checked in (the patron came and went unnoticed).
    complete: 'completed',
    no_show: 'no_show',
    displace: 'displaced',
  },
  checked_in: { complete: 'completed', take_back: 'completed' },
  completed: {},
  cancelled: {},
  no_show: {},
  displaced: {},
};

const DONE: Record<BookingEvent, string> = {
  create: 'made',
  request: 'sent for approval',
  approve: 'approved',
  deny: 'denied',
  cancel: 'cancelled',
  check_in: 'checked in',
  hand_over: 'handed over',
  complete: 'finished',
  take_back: 'taken back',
  no_show: 'released as a no-show',
  displace: 'moved off its time',
  expire: 'expired',
};

/**
 * The booking lifecycle: what an event does to a booking in a status, for a station or a loan
 * kit. Pure, so every path (API, pages, sweeps, the loan desk) obeys the same machine.
 */
export function transition(
  status: BookingStatus | 'new',
  event: BookingEvent,
  kind: EquipmentKind,
): Transition {
  if (kind === 'loan' && STATION_EVENTS.includes(event)) {
    // Checking a kit in or finishing it at the general desk would hand it over or take it back
    // with no asset tag, no parts checklist and no condition.
    const verb = event === 'check_in' ? 'Hand it over' : 'Take it back';
    return refuse('USE_THE_LOAN_DESK', `This is a loan kit. ${verb} ${LOAN_DESK}.`);
  }
  if (kind !== 'loan' && KIT_EVENTS.includes(event)) {
    return refuse(
      'NOT_A_LOAN_KIT',
      'Only loan kits go through the loan desk; check a station booking in at the desk.',
    );
  }
  const next = NEXT[status][event];
  if (next) return { next };
  if (status === 'checked_in' && event === 'displace') {
    return refuse('IN_USE', 'This booking is in use now; the patron keeps it until they finish.');
  }
  const state = status === 'new' ? 'not made yet' : status.replace('_', ' ');
  return refuse('WRONG_STATUS', `This booking is ${state} and can no longer be ${DONE[event]}.`);
}

/** The next status, or null when the event is refused. */
export function nextStatus(
  status: BookingStatus | 'new',
  event: BookingEvent,
  kind: EquipmentKind,
): BookingStatus | null {
  const result = transition(status, event, kind);
  return 'next' in result ? result.next : null;
}

function refuse(code: LifecycleRefusalCode, message: string): Transition {
  return { refused: { code, message } };
}

/** A scanned card checks in stations only; when only kits are due, the desk is told where to go. */
export function onlyKitsDue(patronName: string, kitsDue: number): LifecycleRefusal {
  const what = kitsDue === 1 ? 'only a loan kit due' : `only ${kitsDue} loan kits due`;
  return {
    code: 'USE_THE_LOAN_DESK',
    message: `${patronName} has ${what} today, and no station booking to check in. Hand kits over ${LOAN_DESK}.`,
  };
}
