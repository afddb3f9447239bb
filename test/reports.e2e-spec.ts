import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn, TestPatron } from './factories';

describe('Usage report', () => {
  let t: TestApp;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-12-01T14:00:00Z' });
    staff = await signIn(t, 'staff');
  });
  afterAll(() => t.close());

  it('gives figures per device and category that match a hand count, as JSON and CSV', async () => {
    const device = await newDevice(t);
    const [a, b, c] = [await newPatron(t), await newPatron(t), await newPatron(t)];
    const book = (token: string, start: string, end: string) =>
      t.http
        .post('/api/bookings')
        .set(bearer(token))
        .send({ equipment: device, start: local(start), end: local(end) })
        .expect(201);
    // Wednesday 2 December: open 10:00–20:00, so 10 hours.
    const used = await book(a.token, '2026-12-02T10:00', '2026-12-02T12:00');
    await book(b.token, '2026-12-02T13:00', '2026-12-02T14:00');
    const cancelled = await book(c.token, '2026-12-02T15:00', '2026-12-02T16:00');
    await book(c.token, '2026-12-02T16:00', '2026-12-02T17:00');
    await book(a.token, '2026-12-03T10:00', '2026-12-03T11:00'); // the next day: outside the period
    await t.http.post(`/api/bookings/${cancelled.body.id}/cancel`).set(bearer(c.token)).expect(200);
    t.clock.set(local('2026-12-02T10:05'));
    await t.http.post(`/api/bookings/${used.body.id}/check-in`).set(bearer(staff)).expect(200);
    t.clock.set(local('2026-12-02T17:00'));
    await t.app.get(BookingSweeps).markNoShows(t.clock.now()); // 13:00 and 16:00 were never checked in
    await t.http
      .post(`/api/bookings/${used.body.id}/complete`)
      .set(bearer(staff))
      .send({})
      .expect(200);

    const report = await t.http
      .get('/api/reports/usage')
      .query({ from: '2026-12-02', to: '2026-12-02' })
      .set(bearer(staff))
      .expect(200);
    expect(report.body).toMatchObject({
      from: '2026-12-02',
      to: '2026-12-02',
      timezone: 'America/New_York',
    });
    const row = report.body.devices.find((d: { equipment: string }) => d.equipment === device);
    expect(row).toEqual({
      equipment: device,
      name: expect.any(String),
      category: 'editing',
      kind: 'station',
      bookings: 1,
      hoursBooked: 2,
      hoursOpen: 10,
      utilisation: 20,
      noShows: 2,
      cancellations: 1,
      uniquePatrons: 1,
      loans: 0,
      overdueDays: 0,
    });
    const editing = report.body.categories.find(
      (x: { category: string }) => x.category === 'editing',
    );
    const editingDevices = report.body.devices.filter(
      (d: { category: string }) => d.category === 'editing',
    ).length;
    expect(editing).toMatchObject({
      devices: editingDevices,
      bookings: 1,
      hoursBooked: 2,
      hoursOpen: 10 * editingDevices,
      noShows: 2,
      cancellations: 1,
    });

    const csv = await t.http
      .get('/api/reports/usage')
      .query({ from: '2026-12-02', to: '2026-12-02', format: 'csv' })
      .set(bearer(staff))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'level,slug,name,category,bookings,hoursBooked,hoursOpen,utilisation,noShows,cancellations,uniquePatrons,loans,overdueDays',
    );
    expect(lines.find((l) => l.startsWith(`device,${device},`))).toMatch(
      /,editing,1,2,10,20,2,1,1,0,0$/,
    );
  });

  it('counts loans handed over and the days kits were late inside the period, as a hand count', async () => {
    t.clock.set('2026-12-01T14:00:00Z');
    let tags = 0;
    const kit = () =>
      newDevice(t, {
        category: 'audio-loan',
        kind: 'loan',
        assetTag: `RPT-${process.pid}-${(tags += 1)}`,
        parts: ['Recorder', 'Headphones'],
        policy: {
          slotMinutes: 1440,
          minMinutes: 1440,
          maxMinutes: 10080,
          maxMinutesPerWeek: 30240,
        },
      });
    const [a, b] = [await kit(), await kit()];
    const [p1, p2, p3] = [await newPatron(t), await newPatron(t), await newPatron(t)];
    const reserve = (patron: TestPatron, equipment: string, first: string, dayAfter: string) =>
      t.http
        .post('/api/bookings')
        .set(bearer(patron.token))
        .send({ equipment, start: local(`${first}T00:00`), end: local(`${dayAfter}T00:00`) })
        .expect(201);
    const tagOf = async (slug: string) =>
      (await t.http.get(`/api/equipment/${slug}`).expect(200)).body.assetTag as string;
    const checkOut = async (slug: string, patron: TestPatron, at: string) => {
      t.clock.set(local(at));
      const out = await t.http
        .post('/api/loans/check-out')
        .set(bearer(staff))
        .send({ assetTag: await tagOf(slug), cardNumber: patron.cardNumber })
        .expect(200);
      return out.body.id as string;
    };
    const giveBack = async (id: string, at: string) => {
      t.clock.set(local(at));
      await t.http
        .post(`/api/loans/${id}/return`)
        .set(bearer(staff))
        .send({ condition: 'Good' })
        .expect(200);
    };
    // Kit A: 2–3 December, back Monday 7th (late 4th, 5th, 6th, 7th); then 8–9 December, still
    // out on Friday 11th (late 10th, 11th). Kit B: 2–4 December, back on time; a 9 December
    // reservation never picked up is no loan.
    await reserve(p1, a, '2026-12-02', '2026-12-04');
    await reserve(p2, a, '2026-12-08', '2026-12-10');
    await reserve(p3, b, '2026-12-02', '2026-12-05');
    await reserve(p1, b, '2026-12-09', '2026-12-10');
    const first = await checkOut(a, p1, '2026-12-02T10:00');
    const onTime = await checkOut(b, p3, '2026-12-02T11:00');
    await giveBack(onTime, '2026-12-04T15:00');
    await giveBack(first, '2026-12-07T12:00');
    await checkOut(a, p2, '2026-12-08T10:00');
    t.clock.set(local('2026-12-11T12:00'));

    const figures = async (from: string, to: string) => {
      const report = await t.http
        .get('/api/reports/usage')
        .query({ from, to })
        .set(bearer(staff))
        .expect(200);
      const pick = ({ loans, overdueDays }: { loans: number; overdueDays: number }) => ({
        loans,
        overdueDays,
      });
      const row = (slug: string) =>
        pick(report.body.devices.find((d: { equipment: string }) => d.equipment === slug));
      const category = pick(
        report.body.categories.find((c: { category: string }) => c.category === 'audio-loan'),
      );
      return { a: row(a), b: row(b), category };
    };
    expect(await figures('2026-12-01', '2026-12-10')).toEqual({
      a: { loans: 2, overdueDays: 5 },
      b: { loans: 1, overdueDays: 0 },
      category: { loans: 3, overdueDays: 5 },
    });
    expect(await figures('2026-12-05', '2026-12-31')).toEqual({
      a: { loans: 1, overdueDays: 5 },
      b: { loans: 0, overdueDays: 0 },
      category: { loans: 1, overdueDays: 5 },
    });
    expect(await figures('2026-12-12', '2026-12-31')).toMatchObject({
      a: { loans: 0, overdueDays: 0 },
    });

    const csv = await t.http
      .get('/api/reports/usage')
      .query({ from: '2026-12-01', to: '2026-12-10', format: 'csv' })
      .set(bearer(staff))
      .expect(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines.find((l) => l.startsWith(`device,${a},`))).toMatch(/,2,5$/);
    expect(lines.find((l) => l.startsWith('category,audio-loan,'))).toMatch(/,3,5$/);
  });

  it('keeps reports to staff and checks the period', async () => {
    const patron = await newPatron(t);
    await t.http
      .get('/api/reports/usage')
      .query({ from: '2026-12-01', to: '2026-12-31' })
      .expect(401);
    await t.http
      .get('/api/reports/usage')
      .query({ from: '2026-12-01', to: '2026-12-31' })
      .set(bearer(patron.token))
      .expect(403);
    await t.http
      .get('/api/reports/usage')
      .query({ from: '2026-12-31', to: '2026-12-01' })
      .set(bearer(staff))
      .expect(400);
    await t.http
      .get('/api/reports/usage')
      .query({ from: '2026-12-01', to: '2026-12-31', format: 'xml' })
      .set(bearer(staff))
      .expect(400);
  });
});
