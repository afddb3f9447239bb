import { Booking } from '../src/bookings/booking.entity';
import { WriteTransactionService } from '../src/database/write-transaction.service';
import { createTestApp, ON_POSTGRES, TestApp } from './create-test-app';
import {
  bearer,
  eventually,
  finishWalkthrough,
  local,
  newDevice,
  newPatron,
  publishUsageChange,
  signIn,
  writeFromElsewhere,
} from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';

interface Slot {
  start: string;
  available: boolean;
  reason?: { code: string };
}

/**
 * What a signed-in patron is shown is judged by their own bookings and certifications, which the
 * server may hold between two looks (on SQLite); whatever changes them must show at the next look.
 */
describe("A patron's own bookings, as their availability shows them", () => {
  let t: TestApp;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    staff = await signIn(t, 'staff');
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  /** A device allowing one hour of its category a day, and a new patron's look at it. */
  async function limitedDay() {
    const policy = { maxMinutesPerDay: 60, minMinutes: 60 };
    const device = await newDevice(t, { category: 'audio', policy });
    const patron = await newPatron(t);
    const day = async () =>
      (
        await t.http
          .get(`/api/equipment/${device}/availability?date=2026-12-02`)
          .set(bearer(patron.token))
          .expect(200)
      ).body.slots as Slot[];
    const free = (slots: Slot[]) => slots.filter((s) => s.available).length;
    const limited = (slots: Slot[]) => slots.some((s) => s.reason?.code === 'DAILY_LIMIT');
    /** The patron's own booking of the device, 10:00 to 11:00 that day. */
    const book = async () =>
      (
        await t.http
          .post('/api/bookings')
          .set(bearer(patron.token))
          .send({
            equipment: device,
            start: local('2026-12-02T10:00'),
            end: local('2026-12-02T11:00'),
          })
          .expect(201)
      ).body as { id: string };
    return { device, patron, day, free, limited, book };
  }

  it('shows the day limit reached once the patron has booked, and lifted once they cancel', async () => {
    const { patron, day, free, limited, book } = await limitedDay();
    const before = await day();
    expect(free(before)).toBeGreaterThan(1);
    expect(await day()).toEqual(before);
    const booked = await book();
    const after = await day();
    expect(free(after)).toBe(0);
    expect(limited(after)).toBe(true);
    await t.http.post(`/api/bookings/${booked.id}/cancel`).set(bearer(patron.token)).expect(200);
    expect(await day()).toEqual(before);
  });

  it('counts a booking made for the patron at the desk at their next look', async () => {
    const { device, patron, day, free, limited } = await limitedDay();
    expect(free(await day())).toBeGreaterThan(1);
    await t.http
      .post('/api/bookings')
      .set(bearer(staff))
      .send({
        equipment: device,
        cardNumber: patron.cardNumber,
        start: local('2026-12-02T15:00'),
        end: local('2026-12-02T16:00'),
      })
      .expect(201);
    expect(limited(await day())).toBe(true);
  });

  it('stops counting toward the live bookings one that has ended, as time goes by', async () => {
    const device = await newDevice(t, { policy: { maxActivePerPatron: 1, minMinutes: 60 } });
    const patron = await newPatron(t);
    const look = async (date: string) =>
      (
        await t.http
          .get(`/api/equipment/${device}/availability?date=${date}`)
          .set(bearer(patron.token))
          .expect(200)
      ).body.slots as Slot[];
    await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: local('2026-12-01T10:00'), end: local('2026-12-01T11:00') })
      .expect(201);
    const held = await look('2026-12-03');
    expect(held.filter((s) => s.available)).toEqual([]);
    // 11:30: the booking is over (and not yet marked done by the sweeps).
    t.clock.set('2026-12-01T16:30:00Z');
    expect((await look('2026-12-03')).some((s) => s.available)).toBe(true);
  });

  it('asks the patron to re-read a walkthrough revised since they certified, at their next look', async () => {
    const librarian = await signIn(t, 'librarian');
    const patron = await newPatron(t);
    const slug = 'green-screen-video';
    const finish = (manual: string) => finishWalkthrough(t, patron.token, manual);
    const threeOClock = async () => {
      const day = await t.http
        .get('/api/equipment/green-screen-studio/availability?date=2026-12-03')
        .set(bearer(patron.token))
        .expect(200);
      return (day.body.slots as Slot[]).find((s) => s.start === local('2026-12-03T15:00'));
    };
    await finish('lab-orientation');
    await finish(slug);
    expect(await threeOClock()).toMatchObject({ available: true });
    expect(await threeOClock()).toMatchObject({ available: true });

    t.clock.advance(60);
    await publishUsageChange(
      t,
      librarian,
      slug,
      { title: 'Lights', body: 'Now on a timer.' },
      'Lights on a timer',
    );
    await eventually(
      async () => (await threeOClock())?.reason?.code === 'ORIENTATION_REQUIRED',
      'the revision',
    );
    await finish(slug);
    await eventually(async () => (await threeOClock())?.available === true, 'the re-reading');
  });

  (ON_POSTGRES ? it.skip : it)(
    "counts a change made by another connection to SQLite's file at the patron's next look",
    async () => {
      const { day, free, limited, book } = await limitedDay();
      const booked = await book();
      expect(limited(await day())).toBe(true);
      writeFromElsewhere(
        t,
        "UPDATE bookings SET status = 'cancelled', cancelled_at = ? WHERE id = ?",
        Date.now(),
        booked.id,
      );
      expect(free(await day())).toBeGreaterThan(1);
    },
  );

  (ON_POSTGRES ? it.skip : it)(
    'keeps nothing read while a change to the patron’s bookings was open, once that change is undone',
    async () => {
      const { day, limited, book } = await limitedDay();
      const booked = await book();
      expect(limited(await day())).toBe(true);
      await expect(
        t.app.get(WriteTransactionService).run(async (manager) => {
          await manager.update(Booking, { id: booked.id }, { status: 'cancelled' });
          // SQLite shows the open change to the whole process, this look included.
          await day();
          throw new Error('The cancellation was refused after the look.');
        }),
      ).rejects.toThrow('refused after the look');
      expect(limited(await day())).toBe(true);
      expect(limited(await day())).toBe(true);
    },
  );
});
