import { DateTime } from 'luxon';
import { dayGrid, slotFree } from './availability';

const ZONE = 'America/New_York';
const at = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toJSDate();
const utc = (d: Date) => d.toISOString();

describe(dayGrid.name, () => {
  it('lays slots on the local wall-clock grid inside each opening interval', () => {
    const grid = dayGrid(
      '2026-12-02',
      [{ start: at('2026-12-02T10:15'), end: at('2026-12-02T12:00') }],
      30,
      'station',
      ZONE,
    );
    expect(grid.map((s) => utc(s.start))).toEqual([
      '2026-12-02T15:30:00.000Z',
      '2026-12-02T16:00:00.000Z',
      '2026-12-02T16:30:00.000Z',
    ]);
  });

  it('leaves out a last slot that would run past closing', () => {
    const grid = dayGrid(
      '2026-12-02',
      [{ start: at('2026-12-02T10:00'), end: at('2026-12-02T11:30') }],
      60,
      'station',
      ZONE,
    );
    expect(grid).toHaveLength(1);
  });

  it('gives a loan kit a 23-hour day in spring and a 25-hour day in autumn', () => {
    const open = (date: string) => [{ start: at(`${date}T13:00`), end: at(`${date}T17:00`) }];
    const [spring] = dayGrid('2027-03-14', open('2027-03-14'), 1440, 'loan', ZONE);
    const [autumn] = dayGrid('2027-11-07', open('2027-11-07'), 1440, 'loan', ZONE);
    expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(23);
    expect((autumn.end.getTime() - autumn.start.getTime()) / 3_600_000).toBe(25);
    expect(dayGrid('2027-03-14', [], 1440, 'loan', ZONE)).toEqual([]);
  });

  it('answers a day asked again with the same slots, split hours included, and keeps them unchanged', () => {
    const open = [
      { start: at('2026-12-02T09:00'), end: at('2026-12-02T10:00') },
      { start: at('2026-12-02T13:00'), end: at('2026-12-02T14:00') },
    ];
    const first = dayGrid('2026-12-02', open, 30, 'station', ZONE);
    const again = dayGrid(
      '2026-12-02',
      open.map((o) => ({ ...o })),
      30,
      'station',
      ZONE,
    );
    expect(again.map((s) => utc(s.start))).toEqual([
      '2026-12-02T14:00:00.000Z',
      '2026-12-02T14:30:00.000Z',
      '2026-12-02T18:00:00.000Z',
      '2026-12-02T18:30:00.000Z',
    ]);
    expect(again).toEqual(first);
    expect(() => ((again[0] as { end: Date }).end = new Date(0))).toThrow(TypeError);
    expect(dayGrid('2026-12-02', open, 60, 'station', ZONE)).toHaveLength(2);
  });
});

describe(slotFree.name, () => {
  const slot = { start: at('2026-12-02T11:00'), end: at('2026-12-02T12:00') };
  const now = at('2026-12-01T09:00');

  it.each([
    ['nothing else booked', 0, [], true],
    [
      'a booking right after and no buffer',
      0,
      [{ start: at('2026-12-02T12:00'), blockedUntil: at('2026-12-02T13:00') }],
      true,
    ],
    [
      'a booking right after and a buffer',
      15,
      [{ start: at('2026-12-02T12:00'), blockedUntil: at('2026-12-02T13:15') }],
      false,
    ],
    [
      'an earlier booking whose buffer runs into the slot',
      15,
      [{ start: at('2026-12-02T10:00'), blockedUntil: at('2026-12-02T11:15') }],
      false,
    ],
    [
      'an earlier booking ending as the slot starts',
      0,
      [{ start: at('2026-12-02T10:00'), blockedUntil: at('2026-12-02T11:00') }],
      true,
    ],
  ])('with %s is free: %p', (_case, buffer, blocked, free) => {
    expect(slotFree(slot, buffer, blocked, [], now)).toBe(free);
  });

  it('is not free once it has started, or during an outage', () => {
    expect(slotFree(slot, 0, [], [], at('2026-12-02T11:01'))).toBe(false);
    expect(
      slotFree(slot, 0, [], [{ start: at('2026-12-02T11:30'), end: at('2026-12-02T13:00') }], now),
    ).toBe(false);
  });
});
