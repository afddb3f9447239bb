import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn } from './factories';

describe('Availability', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-12-01T14:00:00Z' });
  });
  afterAll(() => t.close());

  type Slot = { start: string; end: string; available: boolean };

  it("lists a day's slots inside opening hours, marking booked ones and their buffer", async () => {
    const device = await newDevice(t, {
      policy: { slotMinutes: 60, minMinutes: 60, bufferMinutes: 30 },
    });
    const patron = await newPatron(t);
    await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: local('2026-12-02T12:00'), end: local('2026-12-02T13:00') })
      .expect(201);
    const day = await t.http
      .get(`/api/equipment/${device}/availability`)
      .query({ date: '2026-12-02' })
      .expect(200);
    expect(day.body).toMatchObject({
      date: '2026-12-02',
      timezone: 'America/New_York',
      open: [{ start: '2026-12-02T10:00:00-05:00', end: '2026-12-02T20:00:00-05:00' }],
    });
    const slots: Slot[] = day.body.slots;
    expect(slots).toHaveLength(10);
    expect(slots[0]).toEqual({
      start: '2026-12-02T10:00:00-05:00',
      end: '2026-12-02T11:00:00-05:00',
      available: true,
    });
    const free = Object.fromEntries(slots.map((s) => [s.start.slice(11, 16), s.available]));
    // 11:00 would run its buffer into the 12:00 booking; 13:00 is inside that booking's buffer.
    expect(free).toMatchObject({
      '10:00': true,
      '11:00': false,
      '12:00': false,
      '13:00': false,
      '14:00': true,
    });
  });

  it('shows nothing free on a closure, and past slots as taken', async () => {
    const device = await newDevice(t);
    const closed = await t.http
      .get(`/api/equipment/${device}/availability`)
      .query({ date: '2026-12-25' })
      .expect(200);
    expect(closed.body).toMatchObject({ open: [], slots: [] });
    t.clock.set(local('2026-12-01T15:10'));
    const today = await t.http
      .get(`/api/equipment/${device}/availability`)
      .query({ date: '2026-12-01' })
      .expect(200);
    const byStart = Object.fromEntries(
      today.body.slots.map((s: Slot) => [s.start.slice(11, 16), s.available]),
    );
    expect(byStart).toMatchObject({ '15:00': false, '15:30': true });
    t.clock.set('2026-12-01T14:00:00Z');
  });

  it.each([
    ['2027-03-14', '13:00:00-04:00', '2027-03-14T17:00:00.000Z', 8],
    ['2027-11-07', '13:00:00-05:00', '2027-11-07T18:00:00.000Z', 8],
    ['2027-03-13', '10:00:00-05:00', '2027-03-13T15:00:00.000Z', 14],
  ])(
    'puts the slots of %s at the right instants across DST',
    async (date, firstLocal, firstUtc, count) => {
      const device = await newDevice(t);
      const day = await t.http
        .get(`/api/equipment/${device}/availability`)
        .query({ date })
        .expect(200);
      expect(day.body.slots).toHaveLength(count);
      expect(day.body.slots[0].start).toBe(`${date}T${firstLocal}`);
      expect(new Date(day.body.slots[0].start).toISOString()).toBe(firstUtc);
    },
  );

  it('gives a loan kit one slot per open day', async () => {
    const kit = await newDevice(t, {
      category: 'photo-video-loan',
      kind: 'loan',
      policy: { slotMinutes: 1440, minMinutes: 1440, maxMinutes: 10080, maxMinutesPerWeek: 30240 },
    });
    const day = await t.http
      .get(`/api/equipment/${kit}/availability`)
      .query({ date: '2026-12-03' })
      .expect(200);
    expect(day.body.slots).toEqual([
      { start: '2026-12-03T00:00:00-05:00', end: '2026-12-04T00:00:00-05:00', available: true },
    ]);
  });

  it('answers "what is free at 3 pm?" with every device free for the whole interval', async () => {
    const [booked, free] = [await newDevice(t), await newDevice(t)];
    const patron = await newPatron(t);
    await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: booked, start: local('2026-12-02T15:30'), end: local('2026-12-02T16:00') })
      .expect(201);
    const response = await t.http
      .get('/api/availability')
      .query({ start: local('2026-12-02T15:00'), end: local('2026-12-02T16:00') })
      .expect(200);
    const slugs = response.body.map((d: { slug: string }) => d.slug);
    expect(slugs).toContain(free);
    expect(slugs).not.toContain(booked);
    const evening = await t.http
      .get('/api/availability')
      .query({ start: local('2026-12-02T19:30'), end: local('2026-12-02T20:30') })
      .expect(200);
    expect(evening.body.filter((d: { kind: string }) => d.kind === 'station')).toEqual([]);
    const category = await t.http
      .get('/api/availability')
      .query({
        start: local('2026-12-02T15:00'),
        end: local('2026-12-02T16:00'),
        category: 'audio',
      })
      .expect(200);
    expect(category.body.every((d: { category: string }) => d.category === 'audio')).toBe(true);
  });

  it('drops a device with an outage from the free list and its slots', async () => {
    const device = await newDevice(t);
    const staff = await signIn(t, 'staff');
    const outage = await t.http
      .post(`/api/equipment/${device}/outages`)
      .set(bearer(staff))
      .send({
        start: local('2026-12-02T14:00'),
        end: local('2026-12-02T18:00'),
        reason: 'Firmware update',
      })
      .expect(201);
    expect(outage.body).toMatchObject({ outage: { reason: 'Firmware update' }, collisions: [] });
    const free = await t.http
      .get('/api/availability')
      .query({ start: local('2026-12-02T15:00'), end: local('2026-12-02T16:00') })
      .expect(200);
    expect(free.body.map((d: { slug: string }) => d.slug)).not.toContain(device);
    const day = await t.http
      .get(`/api/equipment/${device}/availability`)
      .query({ date: '2026-12-02' })
      .expect(200);
    const byStart = Object.fromEntries(
      day.body.slots.map((s: Slot) => [s.start.slice(11, 16), s.available]),
    );
    expect(byStart).toMatchObject({ '13:30': true, '14:00': false, '17:30': false, '18:00': true });
  });

  it.each([
    [{ date: '2026-02-30' }, /date must be a date/],
    [{}, /date/],
  ])('refuses a day query %p', async (query, message) => {
    const device = await newDevice(t);
    const response = await t.http
      .get(`/api/equipment/${device}/availability`)
      .query(query)
      .expect(400);
    expect(response.body.message).toMatch(message);
  });

  it('refuses a free-search with a bad or reversed interval', async () => {
    await t.http
      .get('/api/availability')
      .query({ start: 'soon', end: local('2026-12-02T16:00') })
      .expect(400);
    await t.http
      .get('/api/availability')
      .query({ start: local('2026-12-02T16:00'), end: local('2026-12-02T15:00') })
      .expect(400);
    await t.http
      .get('/api/equipment/no-such-device/availability')
      .query({ date: '2026-12-02' })
      .expect(404);
  });
});

describe('Bookings on the DST days of 2027', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: '2027-03-10T15:00:00Z' });
  });
  afterAll(() => t.close());

  it('books 1 pm on the spring-forward Sunday at 17:00Z', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    const created = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({
        equipment: device,
        start: '2027-03-14T13:00:00-04:00',
        end: '2027-03-14T15:00:00-04:00',
      })
      .expect(201);
    expect(created.body.start).toBe('2027-03-14T13:00:00-04:00');
    const slots = await t.http
      .get(`/api/equipment/${device}/availability`)
      .query({ date: '2027-03-14' })
      .expect(200);
    const taken = slots.body.slots
      .filter((s: { available: boolean }) => !s.available)
      .map((s: { start: string }) => new Date(s.start).toISOString());
    expect(taken).toEqual([
      '2027-03-14T17:00:00.000Z',
      '2027-03-14T17:30:00.000Z',
      '2027-03-14T18:00:00.000Z',
      '2027-03-14T18:30:00.000Z',
    ]);
  });

  it('books 1 pm on the fall-back Sunday at 18:00Z and refuses 12 pm EST as outside hours', async () => {
    t.clock.set('2027-11-03T15:00:00Z');
    const device = await newDevice(t);
    const patron = await newPatron(t);
    const created = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: '2027-11-07T18:00:00Z', end: '2027-11-07T19:00:00Z' })
      .expect(201);
    expect(created.body.start).toBe('2027-11-07T13:00:00-05:00');
    const early = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: '2027-11-07T17:00:00Z', end: '2027-11-07T18:00:00Z' })
      .expect(422);
    expect(early.body.code).toBe('OUTSIDE_OPENING_HOURS');
  });

  it('counts a week-long loan across the fall-back change as 7 days', async () => {
    t.clock.set('2027-11-01T15:00:00Z');
    const kit = await newDevice(t, {
      category: 'photo-video-loan',
      kind: 'loan',
      policy: {
        slotMinutes: 1440,
        minMinutes: 1440,
        maxMinutes: 10080,
        maxMinutesPerWeek: 30240,
        maxAdvanceDays: 30,
      },
    });
    const patron = await newPatron(t);
    const loan = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({
        equipment: kit,
        start: '2027-11-03T00:00:00-04:00',
        end: '2027-11-10T00:00:00-05:00',
      })
      .expect(201);
    expect(loan.body.end).toBe('2027-11-10T00:00:00-05:00');
  });
});
