import { DateTime } from 'luxon';
import { floorToStep, localInput, readScan } from './desk-form';

const zone = 'America/New_York';

describe(readScan.name, () => {
  it.each([
    ['21234000000017', { cardNumber: '21234000000017' }],
    [' 2123 4000 0000 17 ', { cardNumber: '21234000000017' }],
    ['1234567', { cardNumber: '1234567' }],
    ['k7m2qx', { code: 'K7M2QX' }],
    ['K7M-2QX', { code: 'K7M2QX' }],
    ['346797', { code: '346797' }],
  ])('reads %j as %j', (text, expected) => {
    expect(readScan(text)).toEqual(expected);
  });
});

describe(floorToStep.name, () => {
  const at = (wall: string) => DateTime.fromISO(wall, { zone });

  it.each([
    ['2026-12-01T10:07', 30, '2026-12-01T10:00'],
    ['2026-12-01T10:30', 30, '2026-12-01T10:30'],
    ['2026-12-01T10:59', 60, '2026-12-01T10:00'],
    ['2026-12-01T10:59', 1440, '2026-12-01T00:00'],
    // The day clocks go back is 25 hours long: steps still count in wall time.
    ['2026-11-01T14:20', 30, '2026-11-01T14:00'],
  ])('moves %s back to the start of its %i-minute step', (wall, step, expected) => {
    expect(floorToStep(at(wall), step).toFormat("yyyy-LL-dd'T'HH:mm")).toBe(expected);
  });
});

describe(localInput.name, () => {
  it('reads a datetime-local value as the library’s wall time', () => {
    expect(localInput('2026-12-01T10:00', zone, 'start').toISO()).toBe(
      '2026-12-01T10:00:00.000-05:00',
    );
  });

  it.each(['', '2026-12-01', '2026-12-01T10:00Z', 'tomorrow', '2026-02-30T10:00'])(
    'refuses %j',
    (value) => {
      expect(() => localInput(value || undefined, zone, 'start')).toThrow(
        'Give the start as a date and a time.',
      );
    },
  );
});
