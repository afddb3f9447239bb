import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource, EntityManager } from 'typeorm';
import { Booking, BookingStatus } from '../src/bookings/booking.entity';
import { BookingsRepository } from '../src/bookings/bookings.repository';
import { createTestApp, ON_POSTGRES, TestApp } from './create-test-app';
import { newDevice, newKit, newPatron } from './factories';

/*
 * The database's no-overlap guard and the reads that find what blocks a time look at a few
 * bookings of a device, not its whole past (each relies on the device's live bookings never
 * overlapping). Random bookings written straight into the database, bypassing every rule of the
 * app, must meet the same answers as a check of every pair.
 */

const NOW = '2026-12-01T14:00:00Z';
const HOUR = 3_600_000;
const LIVE: BookingStatus[] = ['pending', 'confirmed', 'checked_in'];
const STATUSES: BookingStatus[] = [...LIVE, 'completed', 'cancelled', 'no_show', 'displaced'];

interface Row {
  id: string;
  start: number;
  end: number;
  blockedUntil: number;
  status: BookingStatus;
}

const live = (row: Pick<Row, 'status'>) => LIVE.includes(row.status);
const overlaps = (a: Row, b: Row) => a.start < b.blockedUntil && b.start < a.blockedUntil;

/** A booking's times, in hours from a day before now, with up to two hours of buffer. */
const shape = fc.record({
  startHour: fc.integer({ min: 0, max: 60 }),
  hours: fc.integer({ min: 1, max: 8 }),
  bufferHours: fc.integer({ min: 0, max: 2 }),
  status: fc.constantFrom(...STATUSES),
});

type Shape = typeof shape extends fc.Arbitrary<infer S> ? S : never;

/** Insert a new booking, or move or change the status of one written before. */
const step = fc.record({ move: fc.option(fc.nat(), { nil: null }), shape });

describe('the overlap guard and the reads of what blocks a time', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let bookings: BookingsRepository;
  let patronId: string;
  const base = new Date(NOW).getTime() - 24 * HOUR;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    dataSource = t.app.get(DataSource);
    bookings = t.app.get(BookingsRepository);
    patronId = (await newPatron(t)).id;
  });

  afterAll(async () => {
    await t.close();
  });

  async function deviceId(slug: string): Promise<string> {
    const [row] = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM equipment WHERE slug = ${ON_POSTGRES ? '$1' : '?'}`,
      [slug],
    );
    return row.id;
  }

  function rowOf(s: Shape, id: string): Row {
    const start = base + s.startHour * HOUR;
    const end = start + s.hours * HOUR;
    return { id, start, end, blockedUntil: end + s.bufferHours * HOUR, status: s.status };
  }

  /** Writes the row as the app would never: straight into the table. Whether the guard let it. */
  async function write(device: string, row: Row, isNew: boolean): Promise<boolean> {
    const values = {
      start: new Date(row.start),
      end: new Date(row.end),
      blockedUntil: new Date(row.blockedUntil),
      status: row.status,
    };
    try {
      const repo = dataSource.getRepository(Booking);
      if (isNew) {
        await repo.insert({
          ...values,
          id: row.id,
          code: randomUUID().slice(0, 8),
          equipmentId: device,
          patronId,
          createdById: patronId,
          createdAt: new Date(NOW),
          updatedAt: new Date(NOW),
        });
      } else {
        await repo.update(row.id, values);
      }
      return true;
    } catch (error) {
      const { code, message } = error as { code?: string; message: string };
      if (code === '23P01' || message.includes('SLOT_TAKEN')) return false;
      throw error;
    }
  }

  it('refuses exactly the bookings that overlap a live one of the same device, inserted or changed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const device = await deviceId(await newDevice(t));
        const kept: Row[] = [];
        for (const { move, shape: s } of steps) {
          const moved = move === null || kept.length === 0 ? null : kept[move % kept.length];
          const row = rowOf(s, moved?.id ?? randomUUID());
          const expected =
            !live(row) || !kept.some((k) => k.id !== row.id && live(k) && overlaps(k, row));
          expect({ row, allowed: await write(device, row, moved === null) }).toEqual({
            row,
            allowed: expected,
          });
          if (!expected) continue;
          if (moved) Object.assign(moved, row);
          else kept.push(row);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('finds every live booking that blocks a time and every overdue kit, as a check of each one would', async () => {
    const now = new Date(NOW).getTime();
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(shape, { minLength: 1, maxLength: 30 }),
        fc.array(
          fc.record({
            startHour: fc.integer({ min: 0, max: 70 }),
            hours: fc.integer({ min: 1, max: 10 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.option(fc.nat(), { nil: null }),
        async (isKit, shapes, windows, leaveOut) => {
          const slug = isKit ? (await newKit(t, ['camera'])).slug : await newDevice(t);
          const device = await deviceId(slug);
          const kept: Row[] = [];
          for (const s of shapes) {
            const row = rowOf(s, randomUUID());
            if (await write(device, row, true)) kept.push(row);
          }
          const except =
            leaveOut === null || kept.length === 0 ? null : kept[leaveOut % kept.length];
          for (const w of windows) {
            const keeps = {
              start: new Date(base + w.startHour * HOUR),
              end: new Date(base + (w.startHour + w.hours) * HOUR),
            };
            const blocks = (k: Row) =>
              live(k) &&
              k.start < keeps.end.getTime() &&
              (k.blockedUntil > keeps.start.getTime() ||
                (isKit && k.status === 'checked_in' && k.end <= now));
            const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
            const expected = ids(kept.filter(blocks));
            const read = await bookings.blocking([device], keeps, new Date(now));
            expect({ keeps, found: ids(read) }).toEqual({ keeps, found: expected });
            const manager: EntityManager = dataSource.manager;
            const clashing = await bookings.clashing(manager, {
              deviceId: device,
              keeps,
              exceptId: except?.id ?? null,
              now: new Date(now),
            });
            const facts = await bookings.placementFacts(manager, {
              patronId: randomUUID(),
              deviceId: device,
              exceptId: except?.id ?? null,
              now: new Date(now),
              counted: keeps,
              keeps,
              code: null,
            });
            const clashes = facts.rows.filter((r) => r.clashes).map((r) => r.booking);
            const notExcept = expected.filter((id) => id !== except?.id);
            expect({
              keeps,
              except: except?.id,
              clashing: ids(clashing),
              facts: ids(clashes),
            }).toEqual({
              keeps,
              except: except?.id,
              clashing: notExcept,
              facts: notExcept,
            });
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
