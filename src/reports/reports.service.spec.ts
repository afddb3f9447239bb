import { DateTime } from 'luxon';
import type { BookingFilter, BookingWithParties } from '../bookings/bookings.repository';
import { EXPORT_LIMIT, ReportsService } from './reports.service';

const zone = 'America/New_York';

/** `count` bookings from 1 December, `together` of them starting at each quarter hour. */
function bookings(count: number, together: number): BookingWithParties[] {
  const first = DateTime.fromISO('2026-12-01T09:00', { zone });
  return Array.from(
    { length: count },
    (_, i) =>
      ({
        id: `b${i}`,
        start: first.plus({ minutes: 15 * Math.floor(i / together) }).toJSDate(),
      }) as BookingWithParties,
  );
}

/** The service over a repository that answers `list` as the database would: by start, paged. */
function serviceOver(all: BookingWithParties[]) {
  const list = jest.fn((filter: BookingFilter) =>
    Promise.resolve(
      all
        .filter((b) => b.start >= filter.startsFrom! && b.start < filter.startsBefore!)
        .sort((a, b) => a.start.getTime() - b.start.getTime())
        .slice(filter.offset, filter.offset + filter.limit),
    ),
  );
  const service = new ReportsService(
    { list } as never,
    {} as never,
    {} as never,
    { get: jest.fn() } as never,
    {} as never,
    {} as never,
    { timezone: zone } as never,
  );
  return { service, list };
}

async function exported(service: ReportsService, from: string, to: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of await service.bookingPagesIn(from, to))
    ids.push(...page.map((b) => b.id));
  return ids;
}

describe('ReportsService.bookingPagesIn', () => {
  it.each([
    ['fewer than a page', 10, 1],
    ['several pages, three bookings at each start', 2_500, 3],
    ['a page boundary inside a start shared by seven', 1_003, 7],
  ])('exports every booking of the period once: %s', async (_, count, together) => {
    const all = bookings(count, together);
    const { service, list } = serviceOver(all);
    const ids = await exported(service, '2026-12-01', '2027-12-31');
    expect(ids).toHaveLength(count);
    expect(new Set(ids)).toEqual(new Set(all.map((b) => b.id)));
    expect(list.mock.calls.length).toBeLessThanOrEqual(Math.ceil(count / 900) + 1);
  });

  it('leaves out what starts after the period', async () => {
    const { service } = serviceOver(bookings(200, 2));
    // 100 quarter hours from 09:00 on 1 December: the first day ends the period.
    const ids = await exported(service, '2026-11-30', '2026-12-01');
    expect(ids).toHaveLength(120);
  });

  it(`stops after ${EXPORT_LIMIT.toLocaleString('en')} bookings`, async () => {
    const { service } = serviceOver(bookings(EXPORT_LIMIT + 5, 4));
    const ids = await exported(service, '2026-12-01', '2028-12-31');
    expect(ids).toHaveLength(EXPORT_LIMIT);
  });

  it('refuses a period that ends before it starts, before reading anything', async () => {
    const { service, list } = serviceOver(bookings(5, 1));
    await expect(service.bookingPagesIn('2026-12-02', '2026-12-01')).rejects.toThrow(
      'from must not be after to',
    );
    expect(list).not.toHaveBeenCalled();
  });
});
