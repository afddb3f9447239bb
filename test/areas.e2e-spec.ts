import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn, type TestPatron } from './factories';

interface Slot {
  start: string;
  available: boolean;
  reason?: { code: string };
}

/**
 * The Teen Room beside the Digital Media Lab: its own hours and closures, its own age limits, and
 * every list that can be narrowed to one area. The clock stands on Tuesday 2026-12-01, 10:00.
 */
describe('Areas of the library', () => {
  let t: TestApp;
  let librarian: string;
  let staff: string;
  let teen: TestPatron;
  let adult: TestPatron;

  beforeAll(async () => {
    t = await createTestApp();
    librarian = await signIn(t, 'librarian');
    staff = await signIn(t, 'staff');
    teen = await newPatron(t, { birthDate: '2012-06-01' });
    adult = await newPatron(t);
  });
  afterAll(() => t.close());

  const book = (who: TestPatron, equipment: string, start: string, end: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(who.token))
      .send({ equipment, start: local(start), end: local(end) });

  const openOn = async (slug: string, date: string, token?: string) => {
    const request = t.http.get(`/api/equipment/${slug}/availability`).query({ date });
    const response = await (token ? request.set(bearer(token)) : request).expect(200);
    return response.body as { open: { start: string; end: string }[]; slots: Slot[] };
  };

  it('lists the lab and the Teen Room, and puts every device in one of them', async () => {
    const areas = await t.http.get('/api/areas').expect(200);
    expect(areas.body).toEqual([
      expect.objectContaining({ slug: 'dml', name: 'Digital Media Lab', maxAge: null }),
      expect.objectContaining({ slug: 'teen-room', name: 'Teen Room', minAge: 12, maxAge: 18 }),
    ]);
    const all = await t.http.get('/api/equipment').expect(200);
    expect(all.body.find((d: { slug: string }) => d.slug === 'podcast-studio').area).toBe('dml');
    const teenRoom = await t.http.get('/api/equipment').query({ area: 'teen-room' }).expect(200);
    expect(teenRoom.body.map((d: { slug: string }) => d.slug).sort()).toEqual([
      'teen-gaming-station',
      'teen-laptop-kit',
      'teen-recording-booth',
      'teen-whiteboard-room',
    ]);
    expect(teenRoom.body.every((d: { area: string }) => d.area === 'teen-room')).toBe(true);
    const booth = await t.http.get('/api/equipment/teen-recording-booth').expect(200);
    expect(booth.body.manuals).toEqual([expect.objectContaining({ slug: 'teen-recording-booth' })]);
  });

  it('creates and moves a device by area, and names the field for an unknown one', async () => {
    const slug = await newDevice(t);
    expect((await t.http.get(`/api/equipment/${slug}`).expect(200)).body.area).toBe('dml');
    const moved = await t.http
      .patch(`/api/equipment/${slug}`)
      .set(bearer(librarian))
      .send({ area: 'teen-room' })
      .expect(200);
    expect(moved.body.area).toBe('teen-room');
    const unknown = await t.http
      .patch(`/api/equipment/${slug}`)
      .set(bearer(librarian))
      .send({ area: 'basement' })
      .expect(400);
    expect(unknown.body.message).toMatch(/area must be one of: dml, teen-room/);
    const badQuery = await t.http
      .get('/api/hours')
      .query({ from: '2026-12-03', to: '2026-12-03', area: 'Teen Room!' });
    expect(badQuery.status).toBe(400);
    expect(JSON.stringify(badQuery.body.message)).toMatch(/area/);
  });

  it('opens the Teen Room after school while the lab opens in the morning', async () => {
    const hours = await t.http
      .get('/api/hours')
      .query({ from: '2026-12-03', to: '2026-12-03', area: 'teen-room' })
      .expect(200);
    expect(hours.body[0]).toMatchObject({
      area: 'teen-room',
      hours: [{ opens: '14:00', closes: '19:00' }],
    });
    const lab = await t.http
      .get('/api/hours')
      .query({ from: '2026-12-03', to: '2026-12-03' })
      .expect(200);
    expect(lab.body[0]).toMatchObject({
      area: 'dml',
      hours: [{ opens: '10:00', closes: '20:00' }],
    });

    const booth = await openOn('teen-recording-booth', '2026-12-03');
    expect(booth.open).toEqual([
      { start: '2026-12-03T14:00:00-05:00', end: '2026-12-03T19:00:00-05:00' },
    ]);
    expect(booth.slots[0].start).toBe('2026-12-03T14:00:00-05:00');
    const podcast = await openOn('podcast-studio', '2026-12-03');
    expect(podcast.open[0].start).toBe('2026-12-03T10:00:00-05:00');

    const morning = await book(
      teen,
      'teen-recording-booth',
      '2026-12-03T11:00',
      '2026-12-03T12:00',
    );
    expect(morning.status).toBe(422);
    expect(morning.body.code).toBe('OUTSIDE_OPENING_HOURS');
    await book(teen, 'teen-recording-booth', '2026-12-03T15:00', '2026-12-03T16:00').expect(201);
  });

  it('closes every area on a whole-library closure', async () => {
    const closed = await t.http
      .post('/api/closures')
      .set(bearer(librarian))
      .send({ date: '2026-12-07', reason: 'Staff training day' })
      .expect(201);
    expect(closed.body).toMatchObject({ date: '2026-12-07', area: null });
    expect((await openOn('teen-whiteboard-room', '2026-12-07')).open).toEqual([]);
    expect((await openOn('podcast-studio', '2026-12-07')).open).toEqual([]);
    const refused = await book(
      teen,
      'teen-whiteboard-room',
      '2026-12-07T15:00',
      '2026-12-07T16:00',
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('CLOSED');
  });

  it('closes only the Teen Room on its own closure, displacing only its bookings', async () => {
    const labDevice = await newDevice(t);
    const teenBooking = await book(
      teen,
      'teen-whiteboard-room',
      '2026-12-08T15:00',
      '2026-12-08T16:00',
    ).expect(201);
    const labBooking = await book(adult, labDevice, '2026-12-08T15:00', '2026-12-08T16:00').expect(
      201,
    );

    const preview = await t.http
      .post('/api/closures')
      .query({ preview: 'true' })
      .set(bearer(librarian))
      .send({ date: '2026-12-08', reason: 'Teen Room painted', area: 'teen-room' })
      .expect(201);
    expect(preview.body.displaced.map((b: { id: string }) => b.id)).toEqual([teenBooking.body.id]);
    expect((await openOn('teen-whiteboard-room', '2026-12-08')).open).not.toEqual([]);

    const closed = await t.http
      .post('/api/closures')
      .set(bearer(librarian))
      .send({ date: '2026-12-08', reason: 'Teen Room painted', area: 'teen-room' })
      .expect(201);
    expect(closed.body).toMatchObject({ area: 'teen-room' });
    expect(closed.body.displaced.map((b: { id: string }) => b.id)).toEqual([teenBooking.body.id]);

    const get = (id: string) => t.http.get(`/api/bookings/${id}`).set(bearer(staff)).expect(200);
    expect((await get(teenBooking.body.id)).body.status).toBe('displaced');
    expect((await get(labBooking.body.id)).body.status).toBe('confirmed');
    expect((await openOn('teen-whiteboard-room', '2026-12-08')).open).toEqual([]);
    expect((await openOn(labDevice, '2026-12-08')).open).not.toEqual([]);
    const closures = await t.http.get('/api/closures').query({ area: 'dml' }).expect(200);
    expect(closures.body.some((c: { date: string }) => c.date === '2026-12-08')).toBe(false);
    const again = await t.http
      .post('/api/closures')
      .set(bearer(librarian))
      .send({ date: '2026-12-08', reason: 'Twice', area: 'teen-room' });
    expect(again.status).toBe(409);
  });

  it('displaces only the Teen Room bookings its new weekly hours cut', async () => {
    const labDevice = await newDevice(t);
    const teenBooking = await book(
      teen,
      'teen-whiteboard-room',
      '2026-12-10T17:00',
      '2026-12-10T18:00',
    ).expect(201);
    const labBooking = await book(adult, labDevice, '2026-12-10T17:00', '2026-12-10T18:00').expect(
      201,
    );
    const before = (await t.http.get('/api/hours/weekly').query({ area: 'teen-room' }).expect(200))
      .body;
    const shorter = before.map((i: { weekday: number; opens: string; closes: string }) =>
      i.weekday === 4 ? { ...i, closes: '16:00' } : i,
    );

    const preview = await t.http
      .put('/api/hours/weekly')
      .query({ area: 'teen-room', preview: 'true' })
      .set(bearer(librarian))
      .send({ intervals: shorter })
      .expect(200);
    expect(preview.body.displaced.map((b: { id: string }) => b.id)).toEqual([teenBooking.body.id]);

    const changed = await t.http
      .put('/api/hours/weekly')
      .query({ area: 'teen-room' })
      .set(bearer(librarian))
      .send({ intervals: shorter })
      .expect(200);
    expect(changed.body.displaced.map((b: { id: string }) => b.id)).toEqual([teenBooking.body.id]);
    const get = (id: string) => t.http.get(`/api/bookings/${id}`).set(bearer(staff)).expect(200);
    expect((await get(labBooking.body.id)).body.status).toBe('confirmed');
    const lab = await t.http
      .get('/api/hours')
      .query({ from: '2026-12-10', to: '2026-12-10' })
      .expect(200);
    expect(lab.body[0].hours).toEqual([{ opens: '10:00', closes: '20:00' }]);

    await t.http
      .put('/api/hours/weekly')
      .query({ area: 'teen-room' })
      .set(bearer(librarian))
      .send({ intervals: before })
      .expect(200);
  });

  it('refuses an adult a teen-only device with TOO_OLD and lets a teen book it', async () => {
    const adultDemo = await signIn(t, 'patron');
    const teenDemo = await signIn(t, 'teen');
    const body = {
      equipment: 'teen-gaming-station',
      start: local('2026-12-04T15:00'),
      end: local('2026-12-04T16:00'),
    };
    const refused = await t.http.post('/api/bookings').set(bearer(adultDemo)).send(body);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('TOO_OLD');
    expect(refused.body.message).toMatch(/18 and under/);

    const seen = await openOn('teen-gaming-station', '2026-12-04', adultDemo);
    expect(seen.slots.length).toBeGreaterThan(0);
    expect(seen.slots.every((s) => !s.available && s.reason?.code === 'TOO_OLD')).toBe(true);
    const seenByTeen = await openOn('teen-gaming-station', '2026-12-04', teenDemo);
    expect(seenByTeen.slots.some((s) => s.available)).toBe(true);

    const booked = await t.http.post('/api/bookings').set(bearer(teenDemo)).send(body).expect(201);
    expect(booked.body.status).toBe('confirmed');
  });

  it('honours a device policy maxAge outside the Teen Room too', async () => {
    const slug = await newDevice(t, { policy: { maxAge: 25 } });
    const older = await book(adult, slug, '2026-12-03T10:00', '2026-12-03T11:00');
    expect(older.status).toBe(422);
    expect(older.body.code).toBe('TOO_OLD');
    await book(teen, slug, '2026-12-03T10:00', '2026-12-03T11:00').expect(201);
  });

  it('narrows availability, the schedule and the reports to one area', async () => {
    const free = await t.http
      .get('/api/availability')
      .query({
        start: local('2026-12-04T16:00'),
        end: local('2026-12-04T17:00'),
        area: 'teen-room',
      })
      .expect(200);
    expect(free.body.length).toBeGreaterThan(0);
    expect(free.body.every((d: { area: string }) => d.area === 'teen-room')).toBe(true);
    const morning = await t.http
      .get('/api/availability')
      .query({
        start: local('2026-12-04T10:00'),
        end: local('2026-12-04T11:00'),
        area: 'teen-room',
      })
      .expect(200);
    expect(morning.body).toEqual([]);

    const schedule = await t.http
      .get('/api/schedule')
      .query({ date: '2026-12-03', area: 'teen-room' })
      .expect(200);
    expect(schedule.body.area).toBe('teen-room');
    expect(schedule.body.open).toEqual([
      { start: '2026-12-03T14:00:00-05:00', end: '2026-12-03T19:00:00-05:00' },
    ]);
    expect(schedule.body.devices.length).toBeGreaterThan(0);
    expect(schedule.body.devices.every((d: { area: string }) => d.area === 'teen-room')).toBe(true);
    const whole = await t.http.get('/api/schedule').query({ date: '2026-12-03' }).expect(200);
    expect(whole.body.devices.some((d: { area: string }) => d.area === 'dml')).toBe(true);

    const usage = await t.http
      .get('/api/reports/usage')
      .query({ from: '2026-12-01', to: '2026-12-31', area: 'teen-room' })
      .set(bearer(staff))
      .expect(200);
    const slugs = usage.body.devices.map((d: { equipment: string }) => d.equipment);
    expect(slugs).toContain('teen-recording-booth');
    expect(slugs).not.toContain('podcast-studio');
    const booth = usage.body.devices.find(
      (d: { equipment: string }) => d.equipment === 'teen-recording-booth',
    );
    expect(booth.bookings).toBeGreaterThan(0);

    const bookings = await t.http
      .get('/api/reports/bookings')
      .query({ from: '2026-12-01', to: '2026-12-31', area: 'teen-room' })
      .set(bearer(staff))
      .expect(200);
    expect(bookings.body.length).toBeGreaterThan(0);
    const teenSlugs = new Set(
      (await t.http.get('/api/equipment').query({ area: 'teen-room' })).body.map(
        (d: { slug: string }) => d.slug,
      ),
    );
    expect(bookings.body.every((b: { equipment: string }) => teenSlugs.has(b.equipment))).toBe(
      true,
    );
    const lab = await t.http
      .get('/api/reports/bookings')
      .query({ from: '2026-12-01', to: '2026-12-31', area: 'dml' })
      .set(bearer(staff))
      .expect(200);
    expect(lab.body.some((b: { equipment: string }) => teenSlugs.has(b.equipment))).toBe(false);
    expect(lab.body.length).toBeGreaterThan(0);
  });
});
