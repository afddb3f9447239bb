import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn, TestPatron } from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';
const DAY = '2026-12-02';

interface Slot {
  start: string;
  end: string;
  available: boolean;
  reason?: { code: string; message: string };
}
interface Row {
  slug: string;
  category: string;
  kind: string;
  open: { start: string; end: string }[];
  slots: Slot[];
  bookable: boolean;
  reason?: { code: string };
  bookings: Record<string, unknown>[];
}

describe('The day grid (GET /api/schedule)', () => {
  let t: TestApp;
  let staff: string;
  let holder: TestPatron;
  let other: TestPatron;
  let device: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    staff = await signIn(t, 'staff');
    holder = await newPatron(t, { name: 'Ada Holder' });
    other = await newPatron(t);
    device = await newDevice(t);
    await t.http
      .post('/api/bookings')
      .set(bearer(holder.token))
      .send({ equipment: device, start: local(`${DAY}T12:00`), end: local(`${DAY}T13:00`) })
      .expect(201);
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t?.close());

  async function grid(query: Record<string, string>, token?: string) {
    const request = t.http.get('/api/schedule').query(query);
    if (token) request.set(bearer(token));
    return (await request.expect(200)).body as {
      date: string;
      timezone: string;
      open: { start: string; end: string }[];
      closure: string | null;
      devices: Row[];
    };
  }
  const row = (body: { devices: Row[] }, slug: string) =>
    body.devices.find((d) => d.slug === slug)!;

  it('shows anyone every device of the day with its hours and slots, and taken times only as taken', async () => {
    const body = await grid({ date: DAY });
    expect(body).toMatchObject({
      date: DAY,
      timezone: 'America/New_York',
      open: [{ start: `${DAY}T10:00:00-05:00`, end: `${DAY}T20:00:00-05:00` }],
      closure: null,
    });
    const slugs = body.devices.map((d) => d.slug);
    expect(slugs).toEqual(expect.arrayContaining(['podcast-studio', device]));
    const mine = row(body, device);
    expect(mine.slots).toHaveLength(20);
    expect(mine.bookings).toEqual([
      { start: `${DAY}T12:00:00-05:00`, end: `${DAY}T13:00:00-05:00`, taken: true },
    ]);
    const taken = mine.slots.filter((s) => !s.available).map((s) => s.start.slice(11, 16));
    expect(taken).toEqual(['12:00', '12:30']);
  });

  it('marks the patron’s own booking as theirs and no one else’s', async () => {
    const own = row(await grid({ date: DAY }, holder.token), device);
    expect(own.bookings).toEqual([
      { start: `${DAY}T12:00:00-05:00`, end: `${DAY}T13:00:00-05:00`, taken: true, mine: true },
    ]);
    const theirs = row(await grid({ date: DAY }, other.token), device);
    expect(theirs.bookings).toEqual([
      { start: `${DAY}T12:00:00-05:00`, end: `${DAY}T13:00:00-05:00`, taken: true },
    ]);
  });

  it('shows staff who holds each booking, its code and its status', async () => {
    const seen = row(await grid({ date: DAY }, staff), device);
    expect(seen.bookings).toEqual([
      {
        start: `${DAY}T12:00:00-05:00`,
        end: `${DAY}T13:00:00-05:00`,
        taken: true,
        id: expect.any(String),
        code: expect.stringMatching(/^[A-Z0-9]{6,8}$/),
        status: 'confirmed',
        patron: { name: 'Ada Holder', cardNumber: holder.cardNumber },
      },
    ]);
  });

  it('judges each slot for the viewer exactly as the device availability does', async () => {
    const certified = await newDevice(t, { requiresOrientation: true });
    const adultsOnly = await newDevice(t, { minAge: 18 });
    const teen = await signIn(t, 'teen');
    for (const token of [undefined, teen, holder.token, staff]) {
      const body = await grid({ date: DAY, category: 'editing' }, token);
      for (const slug of [device, certified, adultsOnly, 'editing-imac-1']) {
        const request = t.http.get(`/api/equipment/${slug}/availability`).query({ date: DAY });
        if (token) request.set(bearer(token));
        const alone = (await request.expect(200)).body;
        const { slots, bookable, reason, open } = row(body, slug) ?? {};
        expect({ slug, slots, bookable, reason, open }).toEqual({
          slug,
          slots: alone.slots,
          bookable: alone.bookable,
          reason: alone.reason,
          open: alone.open,
        });
      }
    }
    const teenView = await grid({ date: DAY }, teen);
    expect(row(teenView, adultsOnly).reason?.code).toBe('AGE_RESTRICTED');
    expect(row(teenView, certified).reason?.code).toBe('ORIENTATION_REQUIRED');
  });

  it('lists only the devices of a category, and leaves out retired ones', async () => {
    const retired = await newDevice(t);
    const librarian = await signIn(t, 'librarian');
    await t.http.delete(`/api/equipment/${retired}`).set(bearer(librarian)).expect(200);
    const audio = await grid({ date: DAY, category: 'audio' });
    expect(audio.devices.length).toBeGreaterThan(0);
    expect(audio.devices.every((d) => d.category === 'audio')).toBe(true);
    const all = await grid({ date: DAY });
    expect(all.devices.length).toBeGreaterThan(audio.devices.length);
    expect(all.devices.map((d) => d.slug)).not.toContain(retired);
    const none = await grid({ date: DAY, category: 'no-such-category' });
    expect(none.devices).toEqual([]);
  });

  it('narrows the grid to one area, and names the field for an unknown one', async () => {
    const all = await grid({ date: DAY });
    const lab = await grid({ date: DAY, area: 'dml' });
    expect(lab.devices.map((d) => d.slug)).toContain(device);
    expect(lab.devices.map((d) => d.slug)).not.toContain('teen-gaming-station');
    expect(all.devices.map((d) => d.slug)).toContain('teen-gaming-station');
    const unknown = await t.http.get('/api/schedule').query({ date: DAY, area: 'basement' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/area must be one of/);
  });

  it('shows a closed day with no slots and the closure’s reason', async () => {
    const body = await grid({ date: '2026-12-25' }, holder.token);
    expect(body.open).toEqual([]);
    expect(body.closure).toBe('Christmas Day');
    const closed = row(body, device);
    expect(closed).toMatchObject({ open: [], slots: [], bookable: false });
    expect(closed.reason?.code).toBe('CLOSED');
  });

  it('lays the spring-forward Sunday on the right instants: 8 half-hours and a 23-hour kit day', async () => {
    t.clock.set('2027-03-10T15:00:00Z');
    const kit = await newDevice(t, {
      category: 'photo-video-loan',
      kind: 'loan',
      policy: { slotMinutes: 1440, minMinutes: 1440, maxMinutes: 10080, maxMinutesPerWeek: 30240 },
    });
    const body = await grid({ date: '2027-03-14' });
    expect(body.open).toEqual([
      { start: '2027-03-14T13:00:00-04:00', end: '2027-03-14T17:00:00-04:00' },
    ]);
    const station = row(body, device);
    expect(station.slots).toHaveLength(8);
    expect(new Date(station.slots[0].start).toISOString()).toBe('2027-03-14T17:00:00.000Z');
    const [day] = row(body, kit).slots;
    expect(day.start).toBe('2027-03-14T00:00:00-05:00');
    expect(day.end).toBe('2027-03-15T00:00:00-04:00');
    expect(new Date(day.end).getTime() - new Date(day.start).getTime()).toBe(23 * 3_600_000);
  });

  it('keeps a kit that is not back on the grid as taken after its due date', async () => {
    const assetTag = `SCHED-${process.pid}`;
    const kit = await newDevice(t, {
      category: 'photo-video-loan',
      kind: 'loan',
      assetTag,
      parts: ['Camera'],
      policy: { slotMinutes: 1440, minMinutes: 1440, maxMinutes: 2880, maxMinutesPerWeek: 10080 },
    });
    await t.http
      .post('/api/bookings')
      .set(bearer(holder.token))
      .send({ equipment: kit, start: local(`${DAY}T00:00`), end: local('2026-12-03T00:00') })
      .expect(201);
    t.clock.set(local(`${DAY}T11:00`));
    await t.http
      .post('/api/loans/check-out')
      .set(bearer(staff))
      .send({ assetTag, cardNumber: holder.cardNumber })
      .expect(200);
    t.clock.set(local('2026-12-04T11:00'));
    const late = row(await grid({ date: '2026-12-04' }, staff), kit);
    expect(late.bookings).toEqual([
      expect.objectContaining({ start: `${DAY}T00:00:00-05:00`, status: 'checked_in' }),
    ]);
    expect(late.slots.map((s) => s.available)).toEqual([false]);
    const seen = row(await grid({ date: '2026-12-04' }), kit);
    expect(seen.bookings).toEqual([
      { start: `${DAY}T00:00:00-05:00`, end: '2026-12-03T00:00:00-05:00', taken: true },
    ]);
  });

  it('refuses a malformed date, area or category, naming the field', async () => {
    for (const [query, field] of [
      [{ date: '2026-02-30' }, 'date'],
      [{ date: '1899-12-31' }, 'date'],
      [{ area: 'Teen Room!' }, 'area'],
      [{ category: '../audio' }, 'category'],
    ] as const) {
      const refused = await t.http.get('/api/schedule').query(query).expect(400);
      expect(JSON.stringify(refused.body.message)).toContain(field);
    }
  });

  it('answers today when no date is given', async () => {
    const body = await grid({});
    expect(body.date).toBe('2026-12-01');
  });
});
