import { DataSource } from 'typeorm';
import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, mailTo, newDevice, newPatron, signIn, TestPatron } from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';

interface Booked {
  id: string;
  code: string;
  status: string;
  decideBy: string | null;
  decisionReason: string | null;
}

describe('Bookings that need staff approval', () => {
  let t: TestApp;
  let sweeps: BookingSweeps;
  let staff: string;
  let librarian: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    sweeps = t.app.get(BookingSweeps);
    staff = await signIn(t, 'staff');
    librarian = await signIn(t, 'librarian');
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const studio = (policy: Record<string, number | boolean> = {}) =>
    newDevice(t, { policy: { requiresApproval: true, ...policy } });

  const request = (patron: TestPatron, equipment: string, start: string, end: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment, start: local(start), end: local(end) });

  const booking = async (id: string) =>
    (await t.http.get(`/api/bookings/${id}`).set(bearer(staff)).expect(200)).body as Booked;

  const subjects = async (patron: TestPatron) =>
    (await mailTo(t, patron)).map((m) => m.subject as string);

  it('holds the time of a pending booking against a racer, then confirms it when staff approve', async () => {
    const device = await studio();
    const [asker, racer] = [await newPatron(t), await newPatron(t)];
    const pending = (
      await request(asker, device, '2026-12-02T11:00', '2026-12-02T12:00').expect(201)
    ).body as Booked;
    expect(pending.status).toBe('pending');
    expect(pending.decideBy).toBe(local('2026-12-02T11:00'));

    const raced = await request(racer, device, '2026-12-02T11:30', '2026-12-02T12:30').expect(409);
    expect(raced.body.code).toBe('SLOT_TAKEN');
    const day = await t.http
      .get(`/api/equipment/${device}/availability?date=2026-12-02`)
      .expect(200);
    const slot = (day.body.slots as { start: string; available: boolean }[]).find(
      (s) => s.start === local('2026-12-02T11:00'),
    );
    expect(slot?.available).toBe(false);

    const approved = await t.http
      .post(`/api/bookings/${pending.id}/approve`)
      .set(bearer(staff))
      .expect(200);
    expect(approved.body).toMatchObject({ status: 'confirmed', decideBy: null });
    const told = await subjects(asker);
    expect(told).toHaveLength(2);
    expect(told).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Booking request received: /),
        expect.stringMatching(/^Your booking is approved: /),
      ]),
    );
    const audit = await t.http
      .get(`/api/audit?subject=${pending.code}`)
      .set(bearer(librarian))
      .expect(200);
    expect(JSON.stringify(audit.body)).toContain('booking.approved');
  });

  it('frees the time when staff deny, and tells the patron why', async () => {
    const device = await studio();
    const [asker, next] = [await newPatron(t), await newPatron(t)];
    const pending = (
      await request(asker, device, '2026-12-02T13:00', '2026-12-02T14:00').expect(201)
    ).body as Booked;
    const refused = await t.http
      .post(`/api/bookings/${pending.id}/deny`)
      .set(bearer(staff))
      .send({ reason: '' })
      .expect(400);
    expect(refused.body.message).toEqual(expect.stringContaining('reason'));
    const denied = await t.http
      .post(`/api/bookings/${pending.id}/deny`)
      .set(bearer(staff))
      .send({ reason: 'The studio is booked for a class that day.' })
      .expect(200);
    expect(denied.body).toMatchObject({
      status: 'cancelled',
      decisionReason: 'The studio is booked for a class that day.',
    });
    const declined = (await mailTo(t, asker)).find((m) => /declined/.test(m.subject as string))!;
    expect(declined.subject).toMatch(/^Your booking request was declined: /);
    expect(declined.text).toContain('The studio is booked for a class that day.');
    await request(next, device, '2026-12-02T13:00', '2026-12-02T14:00').expect(201);
    // The database itself keeps a pending booking from overlapping a live one.
    const revive = t.app
      .get(DataSource)
      .query(`UPDATE bookings SET status = 'pending' WHERE id = '${pending.id}'`);
    await expect(revive).rejects.toThrow(/SLOT_TAKEN|ex_bookings_no_overlap_v2/);
  });

  it('lets a pending booking lapse when nobody decides in time, freeing the time, never as a no-show', async () => {
    const device = await studio({ approvalHours: 2 });
    const [asker, next] = [await newPatron(t), await newPatron(t)];
    const pending = (
      await request(asker, device, '2026-12-03T15:00', '2026-12-03T16:00').expect(201)
    ).body as Booked;
    expect(pending.decideBy).toBe(local('2026-12-01T11:00'));
    t.clock.set(local('2026-12-01T10:59'));
    expect(await sweeps.expireRequests(t.clock.now())).toBe(0);
    t.clock.set(local('2026-12-01T11:00'));
    expect(await sweeps.expireRequests(t.clock.now())).toBe(1);
    expect(await sweeps.expireRequests(t.clock.now())).toBe(0);
    expect(await booking(pending.id)).toMatchObject({
      status: 'cancelled',
      decisionReason: 'Not decided in time',
    });
    expect(await subjects(asker)).toContainEqual(
      expect.stringMatching(/^Your booking request lapsed: /),
    );
    await request(next, device, '2026-12-03T15:00', '2026-12-03T16:00').expect(201);
  });

  it('never turns a pending booking into a no-show, and the desk cannot check it in', async () => {
    const device = await studio();
    const asker = await newPatron(t);
    t.clock.set(local('2026-12-01T10:00'));
    const pending = (
      await request(asker, device, '2026-12-01T11:00', '2026-12-01T12:00').expect(201)
    ).body as Booked;
    t.clock.set(local('2026-12-01T11:05'));
    const checkIn = await t.http
      .post(`/api/bookings/${pending.id}/check-in`)
      .set(bearer(staff))
      .expect(409);
    expect(checkIn.body.code).toBe('WRONG_STATUS');
    t.clock.set(local('2026-12-01T11:40'));
    expect(await sweeps.markNoShows(t.clock.now())).toBe(0);
    // Not decided by its start: it lapsed, which never counts against the patron.
    await sweeps.expireRequests(t.clock.now());
    expect((await booking(pending.id)).status).toBe('cancelled');
    const me = await t.http.get('/api/me').set(bearer(asker.token)).expect(200);
    expect(me.body.suspendedUntil ?? null).toBeNull();
  });

  it('confirms at once what staff book for a patron, and sends a moved approved booking back for approval', async () => {
    const device = await studio();
    const patron = await newPatron(t);
    const byStaff = await t.http
      .post('/api/bookings')
      .set(bearer(staff))
      .send({
        equipment: device,
        start: local('2026-12-04T11:00'),
        end: local('2026-12-04T12:00'),
        cardNumber: patron.cardNumber,
      })
      .expect(201);
    expect(byStaff.body.status).toBe('confirmed');
    const moved = await t.http
      .patch(`/api/bookings/${byStaff.body.id}`)
      .set(bearer(patron.token))
      .send({ start: local('2026-12-04T14:00'), end: local('2026-12-04T15:00') })
      .expect(200);
    expect(moved.body.status).toBe('pending');
    const told = await subjects(patron);
    expect(told).toHaveLength(2);
    expect(told).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Your booking is confirmed: /),
        expect.stringMatching(/^Booking request received: /),
      ]),
    );
  });

  it('refuses to approve or deny what is not waiting, and keeps patrons out', async () => {
    const device = await studio();
    const patron = await newPatron(t);
    const pending = (
      await request(patron, device, '2026-12-05T11:00', '2026-12-05T12:00').expect(201)
    ).body as Booked;
    await t.http.post(`/api/bookings/${pending.id}/approve`).set(bearer(patron.token)).expect(403);
    await t.http.post(`/api/bookings/${pending.id}/approve`).set(bearer(staff)).expect(200);
    const again = await t.http
      .post(`/api/bookings/${pending.id}/deny`)
      .set(bearer(staff))
      .send({ reason: 'Too late' })
      .expect(409);
    expect(again.body.code).toBe('WRONG_STATUS');
  });

  it('lists waiting requests for the desk', async () => {
    const device = await studio();
    const patron = await newPatron(t);
    const pending = (
      await request(patron, device, '2026-12-08T11:00', '2026-12-08T12:00').expect(201)
    ).body as Booked;
    const list = await t.http.get('/api/bookings?status=pending').set(bearer(staff)).expect(200);
    expect((list.body as Booked[]).map((b) => b.id)).toContain(pending.id);
  });
});
