import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn } from './factories';

describe('Audit trail', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-12-01T14:00:00Z' });
  });
  afterAll(() => t.close());

  it('records who did what to bookings, equipment and certifications, and keeps it after a cancellation', async () => {
    const [librarian, staff] = [await signIn(t, 'librarian'), await signIn(t, 'staff')];
    const device = await newDevice(t);
    const patron = await newPatron(t, { name: 'Ada Audit' });
    const booking = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: local('2026-12-02T10:00'), end: local('2026-12-02T11:00') })
      .expect(201);
    await t.http.post(`/api/bookings/${booking.body.id}/cancel`).set(bearer(staff)).expect(200);
    await t.http
      .post(`/api/patrons/${patron.cardNumber}/certifications`)
      .set(bearer(staff))
      .send({ equipment: device })
      .expect(201);

    const trail = await t.http
      .get('/api/audit')
      .query({ subject: booking.body.code })
      .set(bearer(librarian))
      .expect(200);
    expect(trail.body.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['booking.cancelled', 'Sam Desk (staff)'],
      ['booking.created', 'Ada Audit (patron)'],
    ]);
    expect(trail.body[1].details).toMatchObject({ equipment: device, patron: patron.cardNumber });
    const created = await t.http
      .get('/api/audit')
      .query({ action: 'equipment.created', subject: device })
      .set(bearer(librarian))
      .expect(200);
    expect(created.body).toEqual([
      expect.objectContaining({
        actor: 'Lena Librarian (librarian)',
        at: '2026-12-01T09:00:00-05:00',
      }),
    ]);
    const granted = await t.http
      .get('/api/audit')
      .query({ action: 'certification.granted', subject: patron.cardNumber })
      .set(bearer(librarian))
      .expect(200);
    expect(granted.body).toEqual([
      expect.objectContaining({
        actor: 'Sam Desk (staff)',
        details: { equipment: device, by: 'orientation' },
      }),
    ]);
  });

  it('records changes to the weekly hours and closures, with what they were', async () => {
    const librarian = await signIn(t, 'librarian');
    const week = await t.http.get('/api/hours/weekly').expect(200);
    const longerMonday = (week.body as { weekday: number; opens: string; closes: string }[]).map(
      (i) => (i.weekday === 1 ? { ...i, closes: '21:00' } : i),
    );
    await t.http
      .put('/api/hours/weekly')
      .set(bearer(librarian))
      .send({ intervals: longerMonday })
      .expect(200);
    await t.http
      .post('/api/closures')
      .set(bearer(librarian))
      .send({ date: '2027-02-02', reason: 'Staff training' })
      .expect(201);
    t.clock.advance(1); // the trail lists the newest first
    await t.http.delete('/api/closures/2027-02-02').set(bearer(librarian)).expect(204);
    await t.http.delete('/api/closures/2027-02-02').set(bearer(librarian)).expect(404);

    const weekly = await t.http
      .get('/api/audit')
      .query({ action: 'hours.weekly_set' })
      .set(bearer(librarian))
      .expect(200);
    expect(weekly.body).toEqual([
      expect.objectContaining({
        actor: 'Lena Librarian (librarian)',
        subjectType: 'hours',
        subject: 'weekly',
        details: {
          before: expect.stringContaining('1 10:00–20:00, 2 10:00–20:00'),
          after: expect.stringContaining('1 10:00–21:00, 2 10:00–20:00'),
        },
      }),
    ]);
    const closure = await t.http
      .get('/api/audit')
      .query({ subject: '2027-02-02' })
      .set(bearer(librarian))
      .expect(200);
    expect(closure.body.map((e: { action: string }) => e.action)).toEqual([
      'hours.closure_removed',
      'hours.closure_added',
    ]);
    expect(closure.body[1]).toMatchObject({
      actor: 'Lena Librarian (librarian)',
      details: { reason: 'Staff training' },
    });
  });

  it('is for librarians only, and checks its filters', async () => {
    const staff = await signIn(t, 'staff');
    const librarian = await signIn(t, 'librarian');
    await t.http.get('/api/audit').expect(401);
    await t.http.get('/api/audit').set(bearer(staff)).expect(403);
    await t.http
      .get('/api/audit')
      .query({ action: 'DROP TABLE' })
      .set(bearer(librarian))
      .expect(400);
    await t.http.get('/api/audit').query({ from: 'yesterday' }).set(bearer(librarian)).expect(400);
  });
});
