import { DateTime } from 'luxon';
import { dueDate, isOverdueKit, overdueDays, overdueDaysWithin } from './overdue-kit';

const zone = 'America/New_York';
const at = (local: string) => DateTime.fromISO(local, { zone }).toJSDate();

describe('dueDate', () => {
  it.each([
    ['a loan ending at midnight is due the day before', '2026-12-05T00:00', '2026-12-04'],
    ['across the fall-back change', '2027-11-10T00:00', '2027-11-09'],
    ['on the spring-forward day', '2027-03-15T00:00', '2027-03-14'],
  ])('%s', (_case, end, due) => {
    expect(dueDate(at(end), zone)).toBe(due);
  });
});

describe('overdueDays', () => {
  it.each([
    ['back on the due date', '2026-12-04T17:00', 0],
    ['back just after midnight the day after', '2026-12-05T00:01', 1],
    ['back at closing the day after', '2026-12-05T19:59', 1],
    ['back three days late', '2026-12-07T12:00', 3],
    ['back early', '2026-12-03T12:00', 0],
  ])('counts a loan due 4 December %s', (_case, back, days) => {
    expect(overdueDays(at('2026-12-05T00:00'), at(back), zone)).toBe(days);
  });

  it('counts calendar days, not 24-hour spans, across the fall-back change', () => {
    expect(overdueDays(at('2027-11-07T00:00'), at('2027-11-08T23:30'), zone)).toBe(2);
  });
});

describe('overdueDaysWithin', () => {
  const end = at('2026-12-05T00:00'); // due 4 December
  it.each([
    ['the whole lateness inside the period', '2026-12-01', '2026-12-31', '2026-12-07T12:00', 3],
    ['a period that ends while the kit is late', '2026-12-01', '2026-12-06', '2026-12-07T12:00', 2],
    [
      'a period that starts while the kit is late',
      '2026-12-06',
      '2026-12-31',
      '2026-12-07T12:00',
      2,
    ],
    ['a period before the kit was due', '2026-11-01', '2026-12-04', '2026-12-07T12:00', 0],
    ['a period after it came back', '2026-12-08', '2026-12-31', '2026-12-07T12:00', 0],
    ['a kit back on time', '2026-12-01', '2026-12-31', '2026-12-04T12:00', 0],
  ])('counts %s', (_case, from, to, back, days) => {
    expect(overdueDaysWithin(end, at(back), { from, to }, zone)).toBe(days);
  });
});

describe(isOverdueKit.name, () => {
  const end = at('2026-12-05T00:00');
  it.each([
    ['loan', 'checked_in', '2026-12-04T23:59', false],
    ['loan', 'checked_in', '2026-12-05T00:00', true],
    ['loan', 'completed', '2026-12-07T10:00', false],
    ['loan', 'confirmed', '2026-12-07T10:00', false],
    ['station', 'checked_in', '2026-12-07T10:00', false],
  ] as const)('a %s %s at %s: %s', (kind, status, now, expected) => {
    expect(isOverdueKit({ kind }, { status, end }, at(now))).toBe(expected);
  });
});
