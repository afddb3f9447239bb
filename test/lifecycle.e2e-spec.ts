import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
import { createTestApp, TestApp } from './create-test-app';
import {
  bearer,
  local,
  mailTo as mailToPatron,
  newDevice,
  newPatron,
  signIn,
  TestPatron,
} from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';

describe('Nothing the lab does becomes a patron’s fault', () => {
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

  const book = (patron: TestPatron, equipment: string, start: string, end: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment, start: local(start), end: local(end) })
      .expect(201)
      .then((r) => r.body as { id: string; code: string; status: string });

  const status = async (patron: TestPatron, id: string) =>
    (await t.http.get(`/api/bookings/${id}`).set(bearer(patron.token)).expect(200)).body;

  const mailTo = (patron: TestPatron) => mailToPatron(t, patron);
  const subjects = async (patron: TestPatron) => (await mailTo(patron)).map((m) => m.subject);

  describe('no-show grace', () => {
    it('checks in a desk walk-in whose slot has begun as it is made, so the sweep never releases it', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      t.clock.set(local('2026-12-01T14:52'));
      const walkIn = await t.http
        .post('/api/bookings')
        .set(bearer(staff))
        .send({
          equipment: device,
          start: local('2026-12-01T14:30'),
          end: local('2026-12-01T15:30'),
          cardNumber: patron.cardNumber,
        })
        .expect(201);
      expect(walkIn.body).toMatchObject({ status: 'checked_in' });
      expect(walkIn.body.checkedInAt).toBe(local('2026-12-01T14:52'));
      t.clock.set(local('2026-12-01T14:53'));
      expect(await sweeps.markNoShows(t.clock.now())).toBe(0);
      expect((await status(patron, walkIn.body.id)).status).toBe('checked_in');
      expect(await subjects(patron)).not.toContainEqual(expect.stringMatching(/released/));
    });

    it('gives a waitlist promotion into a slot that has begun the full grace period', async () => {
      const device = await newDevice(t);
      const [holder, waiting] = [await newPatron(t), await newPatron(t)];
      const held = await book(holder, device, '2026-12-01T11:00', '2026-12-01T12:00');
      await t.http
        .post('/api/waitlist')
        .set(bearer(waiting.token))
        .send({
          equipment: device,
          start: local('2026-12-01T11:00'),
          end: local('2026-12-01T12:00'),
        })
        .expect(201);
      t.clock.set(local('2026-12-01T11:10'));
      await t.http.post(`/api/bookings/${held.id}/cancel`).set(bearer(holder.token)).expect(200);
      const [promoted] = (await t.http.get('/api/bookings').set(bearer(waiting.token)).expect(200))
        .body as { id: string; status: string }[];
      expect(promoted.status).toBe('confirmed');
      t.clock.set(local('2026-12-01T11:11'));
      expect(await sweeps.markNoShows(t.clock.now())).toBe(0);
      t.clock.set(local('2026-12-01T11:24'));
      expect(await sweeps.markNoShows(t.clock.now())).toBe(0);
      expect((await status(waiting, promoted.id)).status).toBe('confirmed');
      t.clock.set(local('2026-12-01T11:25'));
      expect(await sweeps.markNoShows(t.clock.now())).toBe(1);
    });
  });

  describe('displacement', () => {
    it('takes outages of one device made at the same moment one after another, displacing once', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const hit = await book(patron, device, '2026-12-03T15:00', '2026-12-03T16:00');
      const librarian = await signIn(t, 'librarian');
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          t.http
            .post(`/api/equipment/${device}/outages`)
            .set(bearer(librarian))
            .send({
              start: local('2026-12-03T15:00'),
              end: local('2026-12-03T16:00'),
              reason: `Fault ${i}`,
            }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 201]);
      const displaced = answers.flatMap((a) => (a.body.displaced as { id: string }[]) ?? []);
      expect(displaced.map((b) => b.id)).toEqual([hit.id]);
    });

    it('displaces the confirmed bookings an outage hits, tells each patron once, and leaves a station in use checked in', async () => {
      const device = await newDevice(t);
      const [inUse, later, untouched] = [
        await newPatron(t),
        await newPatron(t),
        await newPatron(t),
      ];
      t.clock.set(local('2026-12-01T10:00'));
      const using = await book(inUse, device, '2026-12-01T10:00', '2026-12-01T11:00');
      await t.http.post(`/api/bookings/${using.id}/check-in`).set(bearer(staff)).expect(200);
      const hit = await book(later, device, '2026-12-01T12:00', '2026-12-01T13:00');
      const clear = await book(untouched, device, '2026-12-01T16:00', '2026-12-01T17:00');
      const outage = {
        start: local('2026-12-01T10:30'),
        end: local('2026-12-01T15:00'),
        reason: 'The microphone is broken',
      };

      const preview = await t.http
        .post(`/api/equipment/${device}/outages?preview=true`)
        .set(bearer(staff))
        .send(outage)
        .expect(201);
      expect(preview.body.displaced.map((b: { id: string }) => b.id)).toEqual([hit.id]);
      expect((await status(later, hit.id)).status).toBe('confirmed');
      expect(
        (await t.http.get(`/api/equipment/${device}/outages`).set(bearer(staff))).body,
      ).toEqual([]);
      expect(await subjects(later)).toHaveLength(1);

      const made = await t.http
        .post(`/api/equipment/${device}/outages`)
        .set(bearer(staff))
        .send(outage)
        .expect(201);
      expect(made.body.displaced).toEqual([
        expect.objectContaining({
          id: hit.id,
          status: 'displaced',
          displacedReason: { kind: 'outage', message: expect.stringMatching(/microphone/) },
        }),
      ]);
      expect(made.body.collisions.map((b: { id: string }) => b.id).sort()).toEqual(
        [using.id, hit.id].sort(),
      );
      expect((await status(inUse, using.id)).status).toBe('checked_in');
      expect((await status(later, hit.id)).status).toBe('displaced');
      expect((await status(untouched, clear.id)).status).toBe('confirmed');
      const told = (await mailTo(later)).filter((m) => /out of service/i.test(m.subject ?? ''));
      expect(told).toHaveLength(1);
      expect(told[0].text).not.toMatch(/still stands/);
      expect(await mailTo(inUse)).toHaveLength(1);

      // A displaced booking can no longer be checked in, and the sweep never makes it a no-show.
      t.clock.set(local('2026-12-01T12:05'));
      await t.http.post(`/api/bookings/${hit.id}/check-in`).set(bearer(staff)).expect(409);
      t.clock.set(local('2026-12-01T13:30'));
      expect(await sweeps.markNoShows(t.clock.now())).toBe(0);
      expect((await status(later, hit.id)).status).toBe('displaced');
      const audit = await t.http
        .get('/api/audit')
        .query({ action: 'booking.displaced' })
        .set(bearer(librarian))
        .expect(200);
      expect(JSON.stringify(audit.body)).toContain(hit.code);
    });

    it('displaces the bookings on a day a closure is added, after a preview that changes nothing', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const hit = await book(patron, device, '2026-12-03T12:00', '2026-12-03T13:00');
      const other = await book(patron, device, '2026-12-04T12:00', '2026-12-04T13:00');
      const closure = { date: '2026-12-03', reason: 'A burst pipe' };
      const preview = await t.http
        .post('/api/closures?preview=true')
        .set(bearer(librarian))
        .send(closure)
        .expect(201);
      expect(preview.body).toMatchObject({ ...closure, displaced: [{ id: hit.id }] });
      expect((await status(patron, hit.id)).status).toBe('confirmed');
      expect((await t.http.get('/api/closures')).body).not.toContainEqual(closure);

      const made = await t.http.post('/api/closures').set(bearer(librarian)).send(closure);
      expect(made.status).toBe(201);
      expect(made.body.displaced).toEqual([
        expect.objectContaining({
          id: hit.id,
          status: 'displaced',
          displacedReason: { kind: 'closure', message: expect.stringMatching(/burst pipe/) },
        }),
      ]);
      expect((await status(patron, other.id)).status).toBe('confirmed');
      const told = (await mailTo(patron)).filter((m) => /closed/i.test(m.subject ?? ''));
      expect(told).toHaveLength(1);
      t.clock.set(local('2026-12-03T14:00'));
      await sweeps.markNoShows(t.clock.now());
      expect((await status(patron, hit.id)).status).toBe('displaced');
    });

    it('displaces the bookings a change of weekly hours cuts', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const evening = await book(patron, device, '2026-12-02T18:00', '2026-12-02T19:00');
      const morning = await book(patron, device, '2026-12-02T11:00', '2026-12-02T12:00');
      const before = (await t.http.get('/api/hours/weekly').expect(200)).body as {
        weekday: number;
        closes: string;
      }[];
      // Wednesdays now close at 17:00.
      const week = before.map((i) => (i.weekday === 3 ? { ...i, closes: '17:00' } : i));
      const preview = await t.http
        .put('/api/hours/weekly?preview=true')
        .set(bearer(librarian))
        .send({ intervals: week })
        .expect(200);
      expect(preview.body.displaced.map((b: { id: string }) => b.id)).toEqual([evening.id]);
      expect((await t.http.get('/api/hours/weekly')).body).toEqual(before);
      const made = await t.http
        .put('/api/hours/weekly')
        .set(bearer(librarian))
        .send({ intervals: week })
        .expect(200);
      expect(made.body.weekly).toEqual(week);
      expect(made.body.displaced).toEqual([
        expect.objectContaining({
          id: evening.id,
          displacedReason: expect.objectContaining({ kind: 'hours' }),
        }),
      ]);
      expect((await status(patron, morning.id)).status).toBe('confirmed');
      await t.http.put('/api/hours/weekly').set(bearer(librarian)).send({ intervals: before });
    });

    it('displaces the bookings of a retired device and of one set out of service', async () => {
      const [retired, broken] = [await newDevice(t), await newDevice(t)];
      const patron = await newPatron(t);
      const a = await book(patron, retired, '2026-12-02T12:00', '2026-12-02T13:00');
      const b = await book(patron, broken, '2026-12-02T14:00', '2026-12-02T15:00');

      const preview = await t.http
        .delete(`/api/equipment/${retired}?preview=true`)
        .set(bearer(librarian))
        .expect(200);
      expect(preview.body).toMatchObject({ status: 'available', displaced: [{ id: a.id }] });
      const gone = await t.http
        .delete(`/api/equipment/${retired}`)
        .set(bearer(librarian))
        .expect(200);
      expect(gone.body).toMatchObject({
        status: 'retired',
        displaced: [{ id: a.id, status: 'displaced', displacedReason: { kind: 'retired' } }],
      });

      const out = await t.http
        .patch(`/api/equipment/${broken}`)
        .set(bearer(librarian))
        .send({ status: 'out_of_service' })
        .expect(200);
      expect(out.body).toMatchObject({
        status: 'out_of_service',
        displaced: [{ id: b.id, displacedReason: { kind: 'out_of_service' } }],
      });
      expect((await status(patron, b.id)).status).toBe('displaced');
      expect(await subjects(patron)).toHaveLength(4);
    });
  });

  describe('suspensions', () => {
    it('counts only the patron’s own absences, and says once, in the audit trail too, until when booking is paused', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const missed = [];
      for (const hour of ['10', '11', '12'])
        missed.push(await book(patron, device, `2026-12-02T${hour}:00`, `2026-12-02T${hour}:30`));
      const displaced = await book(patron, device, '2026-12-02T13:00', '2026-12-02T13:30');
      await t.http
        .post(`/api/equipment/${device}/outages`)
        .set(bearer(staff))
        .send({
          start: local('2026-12-02T13:00'),
          end: local('2026-12-02T14:00'),
          reason: 'Repairs',
        })
        .expect(201);
      // Two missed, one displaced: no suspension.
      t.clock.set(local('2026-12-02T11:30'));
      await sweeps.markNoShows(t.clock.now());
      expect((await mailTo(patron)).filter((m) => /paused/i.test(m.subject ?? ''))).toEqual([]);
      t.clock.set(local('2026-12-02T14:00'));
      await sweeps.markNoShows(t.clock.now());
      for (const booking of missed)
        expect((await status(patron, booking.id)).status).toBe('no_show');
      expect((await status(patron, displaced.id)).status).toBe('displaced');
      const paused = (await mailTo(patron)).filter((m) => /paused/i.test(m.subject ?? ''));
      expect(paused).toHaveLength(1);
      expect(paused[0].text).toContain('Booking is paused until Wed, Dec 16, 2:00 PM.');
      const audit = await t.http
        .get('/api/audit')
        .query({ action: 'patron.suspended' })
        .set(bearer(librarian))
        .expect(200);
      expect(JSON.stringify(audit.body)).toContain(patron.cardNumber);
    });
  });

  it('refuses to check a loan kit in or finish it outside the loan desk, and a card scan passes it by', async () => {
    const kit = await newDevice(t, {
      kind: 'loan',
      category: 'photo-video-loan',
      policy: { slotMinutes: 1440, minMinutes: 1440, maxMinutes: 10080, maxMinutesPerWeek: 20160 },
    });
    const patron = await newPatron(t);
    const loan = await book(patron, kit, '2026-12-07T00:00', '2026-12-09T00:00');
    t.clock.set(local('2026-12-07T11:00'));
    for (const action of ['check-in', 'complete']) {
      const refused = await t.http
        .post(`/api/bookings/${loan.id}/${action}`)
        .set(bearer(staff))
        .expect(422);
      expect(refused.body.code).toBe('USE_THE_LOAN_DESK');
    }
    // A card scan at the desk checks in stations only, and says where the kit goes.
    const scan = await t.http
      .post('/api/desk/check-in')
      .set(bearer(staff))
      .send({ cardNumber: patron.cardNumber })
      .expect(422);
    expect(scan.body.code).toBe('USE_THE_LOAN_DESK');
    expect((await status(patron, loan.id)).status).toBe('confirmed');
  });
});
