import type { Slot } from '../bookings/availability';
import type { RefusalCode } from '../bookings/rules';
import { gridColumns, rowCells } from './schedule-grid';

// Tuesday 1 December 2026 in UTC, to keep the arithmetic plain.
const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00Z`);
const span = (from: string, to: string) => ({ start: at(from), end: at(to) });
const slot = (from: string, to: string, available: boolean, code?: RefusalCode): Slot => ({
  ...span(from, to),
  available,
  ...(code ? { reason: { code, message: `Refused: ${code}` } } : {}),
});
const halfHours = (from: string, to: string) => gridColumns([span(from, to)]);

/** The row as words: kind and span, e.g. `free 1`. */
const words = (cells: ReturnType<typeof rowCells>) => cells.map((c) => `${c.kind} ${c.span}`);

describe(rowCells.name, () => {
  const now = at('09:00');

  it('lays a column for every half hour between the first opening and the last closing', () => {
    expect(gridColumns([span('10:00', '12:00'), span('14:00', '15:00')])).toHaveLength(10);
    expect(gridColumns([])).toEqual([]);
  });

  it.each([
    [
      'one cell per free half-hour slot',
      halfHours('10:00', '11:30'),
      [slot('10:00', '10:30', true), slot('10:30', '11:00', true), slot('11:00', '11:30', true)],
      [] as { start: Date; end: Date }[],
      ['free 1', 'free 1', 'free 1'],
    ],
    [
      'an hour-long slot across two columns',
      halfHours('10:00', '12:00'),
      [slot('10:00', '11:00', true), slot('11:00', '12:00', true)],
      [],
      ['free 2', 'free 2'],
    ],
    [
      'a booking over every column it touches, ahead of the slots under it',
      halfHours('10:00', '12:00'),
      [
        slot('10:00', '10:30', true),
        slot('10:30', '11:00', false),
        slot('11:00', '11:30', false),
        slot('11:30', '12:00', true),
      ],
      [span('10:30', '11:30')],
      ['free 1', 'taken 2', 'free 1'],
    ],
    [
      'closed columns between two openings, merged into one cell',
      gridColumns([span('10:00', '11:00'), span('12:00', '12:30')]),
      [slot('10:00', '10:30', true), slot('10:30', '11:00', true), slot('12:00', '12:30', true)],
      [],
      ['free 1', 'free 1', 'closed 2', 'free 1'],
    ],
    [
      'refusals for one reason merged, another reason apart',
      halfHours('10:00', '11:30'),
      [
        slot('10:00', '10:30', false, 'TOO_FAR_AHEAD'),
        slot('10:30', '11:00', false, 'TOO_FAR_AHEAD'),
        slot('11:00', '11:30', false, 'QUOTA_EXCEEDED'),
      ],
      [],
      ['refused 2', 'refused 1'],
    ],
    [
      'a kit’s one day-long slot across the whole row',
      halfHours('10:00', '12:00'),
      [slot('00:00', '23:59', true)],
      [],
      ['free 4'],
    ],
    [
      'a row with no slot at all (closed day for the device)',
      halfHours('10:00', '11:00'),
      [],
      [],
      ['closed 2'],
    ],
  ])('draws %s', (_case, columns, slots, bookings, expected) => {
    expect(words(rowCells(columns, slots, bookings, now))).toEqual(expected);
  });

  it('says a slot already begun is past, and a later one that is not free is not free', () => {
    const cells = rowCells(
      halfHours('10:00', '11:30'),
      [slot('10:00', '10:30', false), slot('10:30', '11:00', false), slot('11:00', '11:30', false)],
      [],
      at('10:45'),
    );
    expect(words(cells)).toEqual(['past 2', 'unavailable 1']);
  });
});
