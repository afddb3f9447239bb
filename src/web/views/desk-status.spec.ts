import type { BookingStatus } from '../../bookings/booking-status';
import { deskStatus } from './desk-status';

const start = new Date('2026-12-01T15:00:00Z');
const end = new Date('2026-12-01T16:00:00Z');
const at = (time: string) => new Date(`2026-12-01T${time}:00Z`);

describe(deskStatus.name, () => {
  it.each<[BookingStatus, string, string, string]>([
    ['confirmed', '14:50', 'Booked, not started', 'upcoming'],
    ['confirmed', '15:00', 'Due now: not checked in yet', 'due'],
    ['confirmed', '15:14', 'Due now: not checked in yet', 'due'],
    ['confirmed', '15:15', 'Late: not checked in yet', 'late'],
    ['confirmed', '16:00', 'Ended without check-in', 'late'],
    ['checked_in', '15:30', 'Checked in, in use', 'in-use'],
    ['checked_in', '16:00', 'Overdue: should have finished', 'late'],
    ['completed', '16:30', 'Finished', 'done'],
    ['no_show', '15:30', 'No-show: never checked in', 'late'],
    ['cancelled', '15:30', 'Canceled', 'done'],
  ])('says a %s booking at %s is "%s"', (status, time, words, tone) => {
    expect(deskStatus({ status, start, end }, at(time), 15)).toEqual({ words, tone });
  });

  const firstDay = new Date('2026-12-01T05:00:00Z');
  const dayAfterLast = new Date('2026-12-03T05:00:00Z');
  it.each<[BookingStatus, string, string, string]>([
    ['confirmed', '2026-11-30T20:00:00Z', 'Reserved, not started', 'upcoming'],
    ['confirmed', '2026-12-01T15:30:00Z', 'To pick up at the loan desk', 'due'],
    ['confirmed', '2026-12-03T05:00:00Z', 'Never picked up', 'late'],
    ['checked_in', '2026-12-02T15:00:00Z', 'Out on loan', 'in-use'],
    ['checked_in', '2026-12-03T15:00:00Z', 'Overdue: not back yet', 'late'],
    ['completed', '2026-12-02T15:00:00Z', 'Returned', 'done'],
    ['no_show', '2026-12-03T15:00:00Z', 'No-show: never checked in', 'late'],
  ])(
    'says a kit %s at %s is "%s", never late at quarter past midnight',
    (status, now, words, tone) => {
      const kit = { status, start: firstDay, end: dayAfterLast, loanKit: true };
      expect(deskStatus(kit, new Date(now), 15)).toEqual({ words, tone });
    },
  );
});
