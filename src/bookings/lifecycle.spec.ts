import type { EquipmentKind } from '../equipment/equipment.entity';
import type { BookingStatus } from './booking.entity';
import { BOOKING_EVENTS, BookingEvent, onlyKitsDue, transition } from './lifecycle';

type From = BookingStatus | 'new';

/**
 * Every cell of the machine, written out by hand: for each status, the events that lead
 * somewhere, for a station and for a loan kit. Any cell not listed must be refused with the code
 * in REFUSED below.
 */
const ALLOWED: Record<EquipmentKind, Record<From, Partial<Record<BookingEvent, BookingStatus>>>> = {
  station: {
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
      complete: 'completed',
      no_show: 'no_show',
      displace: 'displaced',
    },
    checked_in: { complete: 'completed' },
    completed: {},
    cancelled: {},
    no_show: {},
    displaced: {},
  },
  loan: {
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
      hand_over: 'checked_in',
      no_show: 'no_show',
      displace: 'displaced',
    },
    checked_in: { take_back: 'completed' },
    completed: {},
    cancelled: {},
    no_show: {},
    displaced: {},
  },
};

function refusedCode(kind: EquipmentKind, from: From, event: BookingEvent): string {
  if (kind === 'loan' && (event === 'check_in' || event === 'complete')) return 'USE_THE_LOAN_DESK';
  if (kind === 'station' && (event === 'hand_over' || event === 'take_back'))
    return 'NOT_A_LOAN_KIT';
  if (from === 'checked_in' && event === 'displace') return 'IN_USE';
  return 'WRONG_STATUS';
}

const FROM: From[] = [
  'new',
  'pending',
  'confirmed',
  'checked_in',
  'completed',
  'cancelled',
  'no_show',
  'displaced',
];
const CELLS = (['station', 'loan'] as EquipmentKind[]).flatMap((kind) =>
  FROM.flatMap((from) => BOOKING_EVENTS.map((event) => [kind, from, event] as const)),
);

describe(transition.name, () => {
  it('covers every status, event and kind', () => {
    expect(CELLS).toHaveLength(2 * 8 * 12);
  });

  it.each(CELLS)('%s: %s + %s', (kind, from, event) => {
    const next = ALLOWED[kind][from][event];
    const result = transition(from, event, kind);
    if (next) expect(result).toEqual({ next });
    else
      expect(result).toEqual({
        refused: { code: refusedCode(kind, from, event), message: expect.any(String) },
      });
  });

  it('tells the desk in plain words why a finished booking cannot change', () => {
    expect(transition('no_show', 'check_in', 'station')).toEqual({
      refused: {
        code: 'WRONG_STATUS',
        message: 'This booking is no show and can no longer be checked in.',
      },
    });
  });

  it('sends kits to the loan desk whatever their status', () => {
    expect(transition('checked_in', 'complete', 'loan')).toMatchObject({
      refused: { code: 'USE_THE_LOAN_DESK' },
    });
  });

  it.each([
    ['check_in', 'Hand it over at the loan desk'],
    ['complete', 'Take it back at the loan desk'],
  ] as const)('tells the desk what to do with a kit on %s', (event, words) => {
    expect(transition('confirmed', event, 'loan')).toEqual({
      refused: { code: 'USE_THE_LOAN_DESK', message: expect.stringContaining(words) },
    });
  });
});

describe(onlyKitsDue.name, () => {
  it.each([
    [1, 'Ada has only a loan kit due today'],
    [2, 'Ada has only 2 loan kits due today'],
  ])('tells the desk that %i kit(s) go to the loan desk', (count, expected) => {
    const refused = onlyKitsDue('Ada', count);
    expect(refused.code).toBe('USE_THE_LOAN_DESK');
    expect(refused.message).toContain(expected);
    expect(refused.message).toContain('/desk/loans');
  });
});
