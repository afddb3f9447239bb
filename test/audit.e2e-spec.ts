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
