import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn } from './factories';

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
      'level,slug,name,category,bookings,hoursBooked,hoursOpen,utilisation,noShows,cancellations,uniquePatrons',
    );
    expect(lines.find((l) => l.startsWith(`device,${device},`))).toMatch(
      /,editing,1,2,10,20,2,1,1$/,
    );
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
