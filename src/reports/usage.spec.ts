import { DateTime } from 'luxon';
import { loanFigures, UsageLoan } from './usage';

const zone = 'America/New_York';
const at = (local: string) => DateTime.fromISO(local, { zone }).toJSDate();
const december = {
  from: '2026-12-01',
  to: '2026-12-31',
  start: at('2026-12-01T00:00'),
  end: at('2027-01-01T00:00'),
};
const loan = (out: string, end: string, back: string | null): UsageLoan => ({
  equipmentId: 'kit',
  checkedOutAt: at(out),
  end: at(end),
  returnedAt: back ? at(back) : null,
});

describe(loanFigures.name, () => {
  it.each<[string, UsageLoan[], { loans: number; overdueDays: number }]>([
    ['no loans', [], { loans: 0, overdueDays: 0 }],
    [
      'a loan back on its due date',
      [loan('2026-12-02T10:00', '2026-12-05T00:00', '2026-12-04T18:00')],
      { loans: 1, overdueDays: 0 },
    ],
    [
      'a loan back two days late',
      [loan('2026-12-02T10:00', '2026-12-05T00:00', '2026-12-06T12:00')],
      { loans: 1, overdueDays: 2 },
    ],
    [
      'a loan handed over in November and late into December',
      [loan('2026-11-27T10:00', '2026-11-30T00:00', '2026-12-03T12:00')],
      { loans: 0, overdueDays: 3 },
    ],
    [
      'a kit still out, counted up to today',
      [loan('2026-12-07T10:00', '2026-12-08T00:00', null)],
      { loans: 1, overdueDays: 3 },
    ],
  ])('counts %s', (_case, loans, expected) => {
    expect(loanFigures(loans, december, at('2026-12-10T09:00'), zone)).toEqual(expected);
  });
});
