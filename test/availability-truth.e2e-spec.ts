import { DateTime } from 'luxon';
import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn, TestPatron } from './factories';

// Tuesday 1 December 2026, 9:00 in the library (America/New_York); open 10:00–20:00 on weekdays.
const NOW = '2026-12-01T14:00:00Z';
const ZONE = 'America/New_York';

interface Reason {
  code: string;
  message: string;
}
interface Slot {
  start: string;
  end: string;
  available: boolean;
  reason?: Reason;
}
interface Day {
  date: string;
  slots: Slot[];
  bookable: boolean;
  reason?: Reason;
}

describe('Availability tells each viewer the truth', () => {
  let t: TestApp;
  let staff: string;
  let teen: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    staff = await signIn(t, 'staff');
    teen = await signIn(t, 'teen');
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.set(NOW));

  async function day(device: string, date: string, token?: string): Promise<Day> {
    const request = t.http.get(`/api/equipment/${device}/availability`).query({ date });
    const response = await (token ? request.set(bearer(token)) : request).expect(200);
    return response.body as Day;
  }

  const at = (slots: Slot[], time: string) => slots.find((s) => s.start.slice(11, 16) === time)!;

  async function freeDuring(start: string, end: string, token?: string): Promise<string[]> {
    const request = t.http.get('/api/availability').query({ start: local(start), end: local(end) });
    const response = await (token ? request.set(bearer(token)) : request).expect(200);
    return (response.body as { slug: string }[]).map((d) => d.slug);
  }

  it('offers no day past the advance window, to anyone, and says when booking opens', async () => {
    const device = await newDevice(t, { policy: { maxAdvanceDays: 14 } });
    const patron = await newPatron(t);
    const last = await day(device, '2026-12-15');
    expect(last.bookable).toBe(true);
    expect(last.slots.every((s) => s.available)).toBe(true);
    for (const viewer of [undefined, patron.token, staff]) {
      const beyond = await day(device, '2026-12-16', viewer);
      expect(beyond.bookable).toBe(false);
      expect(beyond.reason).toMatchObject({ code: 'TOO_FAR_AHEAD', message: /14 days/ });
      expect(beyond.slots.length).toBeGreaterThan(0);
      for (const slot of beyond.slots)
        expect(slot).toMatchObject({ available: false, reason: { code: 'TOO_FAR_AHEAD' } });
    }
    expect(await freeDuring('2026-12-15T15:00', '2026-12-15T16:00')).toContain(device);
    expect(await freeDuring('2026-12-16T15:00', '2026-12-16T16:00')).not.toContain(device);
  });

  it('keeps times inside the notice period from patrons but not from the desk', async () => {
    const device = await newDevice(t, { policy: { minNoticeMinutes: 120 } });
    const patron = await newPatron(t);
    t.clock.set(local('2026-12-01T10:10'));
    for (const viewer of [undefined, patron.token]) {
      const today = await day(device, '2026-12-01', viewer);
      expect(at(today.slots, '10:00')).toEqual(expect.objectContaining({ available: false }));
      expect(at(today.slots, '10:00').reason).toBeUndefined();
      expect(at(today.slots, '12:00')).toMatchObject({
        available: false,
        reason: { code: 'TOO_LATE_TO_BOOK', message: /2 hours ahead/ },
      });
      expect(at(today.slots, '12:30').available).toBe(true);
      expect(today.bookable).toBe(true);
    }
    const desk = await day(device, '2026-12-01', staff);
    expect(at(desk.slots, '10:30').available).toBe(true);
    expect(await freeDuring('2026-12-01T11:00', '2026-12-01T11:30')).not.toContain(device);
    expect(await freeDuring('2026-12-01T13:00', '2026-12-01T13:30')).toContain(device);
  });

  it('offers a start only if the shortest booking from there fits before the next one and closing', async () => {
    const device = await newDevice(t, { policy: { slotMinutes: 30, minMinutes: 60 } });
    const patron = await newPatron(t);
    await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: local('2026-12-02T12:00'), end: local('2026-12-02T13:00') })
      .expect(201);
    const tomorrow = await day(device, '2026-12-02');
    expect(at(tomorrow.slots, '11:00').available).toBe(true);
    expect(at(tomorrow.slots, '11:30')).toEqual(expect.objectContaining({ available: false }));
    expect(at(tomorrow.slots, '11:30').reason).toBeUndefined();
    expect(at(tomorrow.slots, '19:00').available).toBe(true);
    expect(at(tomorrow.slots, '19:30')).toMatchObject({
      available: false,
      reason: { code: 'OUTSIDE_OPENING_HOURS' },
    });
  });

  it("keeps each booking's buffer at the edges of a search and of a day", async () => {
    const policy = { slotMinutes: 30, minMinutes: 30, bufferMinutes: 30 };
    const before = await newDevice(t, { policy });
    const after = await newDevice(t, { policy });
    const patron = await newPatron(t);
    for (const [equipment, from, to] of [
      [before, '2026-12-02T15:30', '2026-12-02T16:00'],
      [after, '2026-12-02T14:00', '2026-12-02T15:00'],
    ])
      await t.http
        .post('/api/bookings')
        .set(bearer(patron.token))
        .send({ equipment, start: local(from), end: local(to) })
        .expect(201);
    // 15:00–15:30 runs its own buffer into the 15:30 booking; the 15:00 booking's buffer runs to 15:30.
    const atThree = await freeDuring('2026-12-02T15:00', '2026-12-02T15:30');
    expect(atThree).not.toContain(before);
    expect(atThree).not.toContain(after);
    expect(await freeDuring('2026-12-02T14:30', '2026-12-02T15:00')).toContain(before);
    expect(await freeDuring('2026-12-02T16:30', '2026-12-02T17:00')).toEqual(
      expect.arrayContaining([before, after]),
    );
    const slots = (await day(before, '2026-12-02')).slots;
    expect(at(slots, '14:30').available).toBe(true);
    expect(at(slots, '15:00').available).toBe(false);
    expect(at(slots, '16:00').available).toBe(false);
    expect(at(slots, '16:30').available).toBe(true);
  });

  it('shows a teen that a 16+ device is not for them, and an adult and a visitor that it is', async () => {
    const device = await newDevice(t, { minAge: 16 });
    const adult = await newPatron(t);
    const forTeen = await day(device, '2026-12-02', teen);
    expect(forTeen.bookable).toBe(false);
    expect(forTeen.reason).toMatchObject({ code: 'AGE_RESTRICTED', message: /16 and over/ });
    expect(forTeen.slots.every((s) => !s.available && s.reason?.code === 'AGE_RESTRICTED')).toBe(
      true,
    );
    for (const viewer of [adult.token, undefined]) {
      const other = await day(device, '2026-12-02', viewer);
      expect(other.bookable).toBe(true);
      expect(other.reason).toBeUndefined();
      expect(other.slots.every((s) => s.available && !s.reason)).toBe(true);
    }
    expect(await freeDuring('2026-12-02T15:00', '2026-12-02T16:00', teen)).not.toContain(device);
    expect(await freeDuring('2026-12-02T15:00', '2026-12-02T16:00', adult.token)).toContain(device);
    expect(await freeDuring('2026-12-02T15:00', '2026-12-02T16:00')).toContain(device);
  });

  it('asks for the orientation first, until staff certify the patron', async () => {
    const device = await newDevice(t, { requiresOrientation: true });
    const patron = await newPatron(t);
    const before = await day(device, '2026-12-02', patron.token);
    expect(before).toMatchObject({ bookable: false, reason: { code: 'ORIENTATION_REQUIRED' } });
    expect(await freeDuring('2026-12-02T15:00', '2026-12-02T16:00', patron.token)).not.toContain(
      device,
    );
    expect((await day(device, '2026-12-02')).bookable).toBe(true);
    await t.http
      .post(`/api/patrons/${patron.cardNumber}/certifications`)
      .set(bearer(staff))
      .send({ equipment: device })
      .expect(201);
    const after = await day(device, '2026-12-02', patron.token);
    expect(after.bookable).toBe(true);
    expect(after.reason).toBeUndefined();
    expect(await freeDuring('2026-12-02T15:00', '2026-12-02T16:00', patron.token)).toContain(
      device,
    );
  });

  it('tells a suspended patron booking is paused, and no one else', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    for (const hour of ['10', '12', '14'])
      await t.http
        .post('/api/bookings')
        .set(bearer(patron.token))
        .send({
          equipment: device,
          start: local(`2026-12-01T${hour}:00`),
          end: local(`2026-12-01T${hour}:30`),
        })
        .expect(201);
    t.clock.set(local('2026-12-01T15:00'));
    await t.app.get(BookingSweeps).markNoShows(t.clock.now());
    const paused = await day(device, '2026-12-03', patron.token);
    expect(paused).toMatchObject({
      bookable: false,
      reason: {
        code: 'ACCOUNT_SUSPENDED',
        message:
          'Booking is paused on this card until Tue, Dec 15, 3:00 PM. Please ask at the desk.',
      },
    });
    expect(await freeDuring('2026-12-03T15:00', '2026-12-03T16:00', patron.token)).not.toContain(
      device,
    );
    expect((await day(device, '2026-12-03')).bookable).toBe(true);
    expect((await day(device, '2026-12-03', teen)).bookable).toBe(true);
  });

  it("counts the patron's quota: held bookings and minutes this week", async () => {
    const device = await newDevice(t, {
      policy: { maxActivePerPatron: 1, maxMinutesPerWeek: 600 },
    });
    const weekly = await newDevice(t, { policy: { maxMinutesPerWeek: 60 } });
    const patron = await newPatron(t);
    const other = await newPatron(t);
    const book = (equipment: string, from: string, to: string) =>
      t.http
        .post('/api/bookings')
        .set(bearer(patron.token))
        .send({ equipment, start: local(from), end: local(to) })
        .expect(201);
    await book(device, '2026-12-02T10:00', '2026-12-02T10:30');
    const held = await day(device, '2026-12-03', patron.token);
    expect(held).toMatchObject({ bookable: false, reason: { code: 'QUOTA_EXCEEDED' } });
    expect(held.reason!.message).toMatch(/1 upcoming booking/);
    expect((await day(device, '2026-12-03', other.token)).bookable).toBe(true);

    await book(weekly, '2026-12-02T10:00', '2026-12-02T11:00');
    const thisWeek = await day(weekly, '2026-12-03', patron.token);
    expect(thisWeek).toMatchObject({ bookable: false, reason: { code: 'QUOTA_EXCEEDED' } });
    expect(thisWeek.reason!.message).toMatch(/this week/);
    // Monday 7 December starts a new week.
    expect((await day(weekly, '2026-12-07', patron.token)).bookable).toBe(true);
    expect(await freeDuring('2026-12-03T15:00', '2026-12-03T15:30', patron.token)).not.toContain(
      weekly,
    );
    expect(await freeDuring('2026-12-03T15:00', '2026-12-03T15:30', other.token)).toContain(weekly);
  });

  describe('what it offers, booking accepts, and what it refuses, booking refuses the same way', () => {
    let adult: TestPatron;
    let someone: TestPatron;
    const devices: string[] = [];

    beforeAll(async () => {
      adult = await newPatron(t);
      someone = await newPatron(t);
      devices.push(
        await newDevice(t, {
          minAge: 16,
          policy: {
            slotMinutes: 30,
            minMinutes: 60,
            bufferMinutes: 15,
            minNoticeMinutes: 60,
            maxAdvanceDays: 3,
          },
        }),
        await newDevice(t, { policy: { maxAdvanceDays: 2, maxActivePerPatron: 2 } }),
        await newDevice(t, {
          category: 'photo-video-loan',
          kind: 'loan',
          policy: {
            slotMinutes: 1440,
            minMinutes: 1440,
            maxMinutes: 10080,
            maxMinutesPerWeek: 30240,
            maxAdvanceDays: 2,
          },
        }),
      );
      // Someone else's bookings, so some times are taken.
      for (const [device, from, to] of [
        [devices[0], '2026-12-01T13:00', '2026-12-01T14:00'],
        [devices[0], '2026-12-02T15:00', '2026-12-02T16:00'],
        [devices[1], '2026-12-02T11:00', '2026-12-02T12:00'],
        [devices[2], '2026-12-02T00:00', '2026-12-03T00:00'],
      ])
        await t.http
          .post('/api/bookings')
          .set(bearer(someone.token))
          .send({ equipment: device, start: local(from), end: local(to) })
          .expect(201);
    });

    it.each([
      ['an adult', 0, '2026-12-01T11:40'],
      ['a teen', 0, '2026-12-01T11:40'],
      ['an adult', 1, '2026-12-01T10:05'],
      ['a teen', 1, '2026-12-01T10:05'],
      ['an adult', 2, '2026-12-01T09:00'],
      ['a teen', 2, '2026-12-01T09:00'],
    ])('for %s on device %i at %s', async (who, index, now) => {
      t.clock.set(local(now));
      const device = devices[index];
      const token = who === 'a teen' ? teen : adult.token;
      const kit = index === 2;
      const start = DateTime.fromISO(local(now), { zone: ZONE });
      let offered = 0;
      for (let d = 0; d <= 4; d += 1) {
        const date = start.plus({ days: d }).toISODate()!;
        const shown = await day(device, date, token);
        for (const slot of shown.slots) {
          const begin = DateTime.fromISO(slot.start, { setZone: true });
          const end = kit
            ? begin.plus({ days: 1 })
            : begin.plus({ minutes: index === 0 ? 60 : 30 });
          const response = await t.http
            .post('/api/bookings')
            .set(bearer(token))
            .send({ equipment: device, start: slot.start, end: end.toISO() });
          const said = `${date} ${slot.start} shown ${JSON.stringify(slot)}, booking answered ${response.status} ${JSON.stringify(response.body)}`;
          if (slot.available) {
            offered += 1;
            expect([said, response.status]).toEqual([said, 201]);
            await t.http
              .post(`/api/bookings/${response.body.id}/cancel`)
              .set(bearer(token))
              .expect(200);
          } else if (slot.reason) {
            expect([said, response.status, response.body.code]).toEqual([
              said,
              422,
              slot.reason.code,
            ]);
          } else {
            expect([said, response.status < 500 && response.status !== 201]).toEqual([said, true]);
          }
        }
        if (!shown.bookable) expect(shown.slots.every((s) => !s.available)).toBe(true);
      }
      if (who === 'an adult') expect(offered).toBeGreaterThan(0);
    });
  });
});
