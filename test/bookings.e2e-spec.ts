import { createTestApp, TestApp } from './create-test-app';
import { bearer, DEMO, local, newDevice, newPatron, signIn, TestPatron } from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';

describe('Bookings', () => {
  let t: TestApp;
  let staff: string;
  let librarian: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    staff = await signIn(t, 'staff');
    librarian = await signIn(t, 'librarian');
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const book = (patron: TestPatron | string, body: Record<string, unknown>) =>
    t.http
      .post('/api/bookings')
      .set(bearer(typeof patron === 'string' ? patron : patron.token))
      .send(body);

  describe('creating', () => {
    it('books a free slot and shows it to its patron and the desk, with local offsets', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const created = await book(patron, {
        equipment: device,
        start: local('2026-12-02T15:00'),
        end: local('2026-12-02T16:00'),
      }).expect(201);
      expect(created.body).toMatchObject({
        equipment: device,
        start: '2026-12-02T15:00:00-05:00',
        end: '2026-12-02T16:00:00-05:00',
        status: 'confirmed',
        patron: { id: patron.id, cardNumber: patron.cardNumber },
      });
      expect(created.body.code).toMatch(/^[A-Z0-9]{6}$/);
      const mine = await t.http
        .get(`/api/bookings/${created.body.id}`)
        .set(bearer(patron.token))
        .expect(200);
      expect(mine.body.code).toBe(created.body.code);
      await t.http.get(`/api/bookings/${created.body.id}`).set(bearer(staff)).expect(200);
      const stranger = await newPatron(t);
      await t.http.get(`/api/bookings/${created.body.id}`).set(bearer(stranger.token)).expect(404);
      const list = await t.http.get('/api/bookings').set(bearer(stranger.token)).expect(200);
      expect(list.body).toEqual([]);
    });

    it('accepts a UTC instant as well as a local offset', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const created = await book(patron, {
        equipment: device,
        start: '2026-12-02T20:00:00Z',
        end: '2026-12-02T21:00:00Z',
      }).expect(201);
      expect(created.body.start).toBe('2026-12-02T15:00:00-05:00');
    });

    it.each([
      [
        { start: '2026-12-02 15:00', end: '2026-12-02T16:00:00-05:00' },
        400,
        /start must be an ISO 8601/,
      ],
      [{ start: '2026-12-02T15:00:00', end: '2026-12-02T16:00:00-05:00' }, 400, /offset/],
      [
        { start: '2026-12-02T16:00:00-05:00', end: '2026-12-02T15:00:00-05:00' },
        400,
        /end must be later than start/,
      ],
      [{ equipment: 'no-such-thing' }, 404, /no-such-thing/],
      [{ equipment: 'Bad Slug' }, 400, /equipment must be/],
      [{ extra: 1 }, 400, /property extra should not exist/],
    ])('refuses %p with %i', async (overrides, status, message) => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const response = await book(patron, {
        equipment: device,
        start: local('2026-12-02T15:00'),
        end: local('2026-12-02T16:00'),
        ...overrides,
      }).expect(status);
      expect(response.body.message).toMatch(message);
    });

    it('keeps booking to signed-in patrons and staff', async () => {
      const device = await newDevice(t);
      const body = {
        equipment: device,
        start: local('2026-12-02T15:00'),
        end: local('2026-12-02T16:00'),
      };
      await t.http.post('/api/bookings').send(body).expect(401);
      const patron = await newPatron(t);
      const other = await newPatron(t);
      const forOther = await book(patron, { ...body, cardNumber: other.cardNumber }).expect(403);
      expect(forOther.body.message).toMatch(/only book for themselves/);
      const noCard = await book(staff, body).expect(400);
      expect(noCard.body.message).toMatch(/cardNumber is required/);
    });
  });

  describe('rules', () => {
    const refusal = async (
      slug: string,
      patron: TestPatron | string,
      start: string,
      end: string,
      code: string,
    ) => {
      const response = await book(patron, {
        equipment: slug,
        start: local(start),
        end: local(end),
      }).expect(422);
      expect(response.body).toMatchObject({ statusCode: 422, code });
      expect(response.body.message.length).toBeGreaterThan(10);
      return response.body.message as string;
    };

    it('refuses a time in the past', async () => {
      await refusal(
        await newDevice(t),
        await newPatron(t),
        '2026-11-30T10:00',
        '2026-11-30T11:00',
        'IN_THE_PAST',
      );
    });

    it('refuses a time off the slot grid', async () => {
      const message = await refusal(
        await newDevice(t),
        await newPatron(t),
        '2026-12-02T10:15',
        '2026-12-02T11:15',
        'NOT_ALIGNED',
      );
      expect(message).toMatch(/30 minutes steps/);
      await refusal(
        await newDevice(t),
        await newPatron(t),
        '2026-12-02T10:00',
        '2026-12-02T10:45',
        'NOT_ALIGNED',
      );
    });

    it('refuses a booking shorter than the minimum or longer than the maximum', async () => {
      const device = await newDevice(t, { policy: { minMinutes: 60, maxMinutes: 120 } });
      const patron = await newPatron(t);
      expect(
        await refusal(device, patron, '2026-12-02T10:00', '2026-12-02T10:30', 'TOO_SHORT'),
      ).toMatch(/shortest booking is 1 hour/);
      expect(
        await refusal(device, patron, '2026-12-02T10:00', '2026-12-02T13:00', 'TOO_LONG'),
      ).toMatch(/longest booking is 2 hours/);
    });

    it('refuses a time outside opening hours, naming the hours', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      expect(
        await refusal(
          device,
          patron,
          '2026-12-02T09:00',
          '2026-12-02T10:30',
          'OUTSIDE_OPENING_HOURS',
        ),
      ).toBe('The lab is open 10:00 AM – 8:00 PM that day.');
      await refusal(
        device,
        patron,
        '2026-12-02T19:30',
        '2026-12-02T20:30',
        'OUTSIDE_OPENING_HOURS',
      );
    });

    it('refuses a day the lab is closed', async () => {
      await t.http
        .post('/api/closures')
        .set(bearer(librarian))
        .send({ date: '2026-12-09', reason: 'Staff training' })
        .expect(201);
      const message = await refusal(
        await newDevice(t),
        await newPatron(t),
        '2026-12-09T11:00',
        '2026-12-09T12:00',
        'CLOSED',
      );
      expect(message).toMatch(/Staff training/);
    });

    it('refuses a time further ahead than the device allows', async () => {
      await refusal(
        await newDevice(t, { policy: { maxAdvanceDays: 7 } }),
        await newPatron(t),
        '2026-12-10T11:00',
        '2026-12-10T12:00',
        'TOO_FAR_AHEAD',
      );
    });

    it('refuses a patron booking inside the notice period but lets the desk book a walk-in', async () => {
      const device = await newDevice(t, { policy: { minNoticeMinutes: 60 } });
      const patron = await newPatron(t);
      t.clock.set(local('2026-12-02T10:40'));
      await refusal(device, patron, '2026-12-02T11:00', '2026-12-02T12:00', 'TOO_LATE_TO_BOOK');
      const walkIn = await book(staff, {
        equipment: device,
        start: local('2026-12-02T10:30'),
        end: local('2026-12-02T11:30'),
        cardNumber: patron.cardNumber,
      }).expect(201);
      expect(walkIn.body.patron.id).toBe(patron.id);
    });

    it('refuses more upcoming bookings than the device allows at once, and too many minutes a week', async () => {
      const device = await newDevice(t, {
        policy: { maxActivePerPatron: 2, maxMinutesPerWeek: 240 },
      });
      const patron = await newPatron(t);
      await book(patron, {
        equipment: device,
        start: local('2026-12-02T10:00'),
        end: local('2026-12-02T12:00'),
      }).expect(201);
      await book(patron, {
        equipment: device,
        start: local('2026-12-03T10:00'),
        end: local('2026-12-03T11:00'),
      }).expect(201);
      expect(
        await refusal(device, patron, '2026-12-03T14:00', '2026-12-03T15:00', 'QUOTA_EXCEEDED'),
      ).toMatch(/2 upcoming bookings/);
      const other = await newDevice(t, { policy: { maxMinutesPerWeek: 120 } });
      await book(patron, {
        equipment: other,
        start: local('2026-12-02T10:00'),
        end: local('2026-12-02T11:30'),
      }).expect(201);
      expect(
        await refusal(other, patron, '2026-12-04T10:00', '2026-12-04T11:00', 'QUOTA_EXCEEDED'),
      ).toMatch(/2 hours .* this week/);
      // The next week is a fresh allowance.
      await book(patron, {
        equipment: other,
        start: local('2026-12-07T10:00'),
        end: local('2026-12-07T11:00'),
      }).expect(201);
    });

    it('refuses a device needing orientation until staff certify the patron', async () => {
      const device = await newDevice(t, { requiresOrientation: true });
      const patron = await newPatron(t);
      await refusal(device, patron, '2026-12-02T10:00', '2026-12-02T11:00', 'ORIENTATION_REQUIRED');
      await t.http
        .post(`/api/patrons/${patron.cardNumber}/certifications`)
        .set(bearer(staff))
        .send({ equipment: device })
        .expect(201);
      await book(patron, {
        equipment: device,
        start: local('2026-12-02T10:00'),
        end: local('2026-12-02T11:00'),
      }).expect(201);
    });

    it('refuses a patron under the minimum age', async () => {
      const device = await newDevice(t, { minAge: 16 });
      const teen = await signIn(t, 'teen');
      expect(
        await refusal(device, teen, '2026-12-02T10:00', '2026-12-02T11:00', 'AGE_RESTRICTED'),
      ).toMatch(/ages 16 and over/);
    });

    it('refuses a device out of service, retired, or in an outage', async () => {
      const patron = await newPatron(t);
      const broken = await newDevice(t);
      await t.http
        .patch(`/api/equipment/${broken}`)
        .set(bearer(librarian))
        .send({ status: 'out_of_service' })
        .expect(200);
      await refusal(
        broken,
        patron,
        '2026-12-02T10:00',
        '2026-12-02T11:00',
        'EQUIPMENT_UNAVAILABLE',
      );
      const old = await newDevice(t);
      await t.http.delete(`/api/equipment/${old}`).set(bearer(librarian)).expect(200);
      await refusal(old, patron, '2026-12-02T10:00', '2026-12-02T11:00', 'EQUIPMENT_UNAVAILABLE');
      const jammed = await newDevice(t);
      await t.http
        .post(`/api/equipment/${jammed}/outages`)
        .set(bearer(staff))
        .send({
          start: local('2026-12-02T12:00'),
          end: local('2026-12-02T16:00'),
          reason: 'Jammed feeder',
        })
        .expect(201);
      await refusal(
        jammed,
        patron,
        '2026-12-02T15:00',
        '2026-12-02T16:00',
        'EQUIPMENT_UNAVAILABLE',
      );
      await book(patron, {
        equipment: jammed,
        start: local('2026-12-02T16:00'),
        end: local('2026-12-02T17:00'),
      }).expect(201);
    });
  });

  describe('no overlaps', () => {
    it('refuses an overlapping booking with 409 SLOT_TAKEN and allows back-to-back ones', async () => {
      const device = await newDevice(t);
      const [a, b] = [await newPatron(t), await newPatron(t)];
      await book(a, {
        equipment: device,
        start: local('2026-12-02T12:00'),
        end: local('2026-12-02T13:00'),
      }).expect(201);
      const clash = await book(b, {
        equipment: device,
        start: local('2026-12-02T12:30'),
        end: local('2026-12-02T13:30'),
      }).expect(409);
      expect(clash.body).toMatchObject({
        code: 'SLOT_TAKEN',
        message: expect.stringMatching(
          /is already booked Wed, Dec 2, 12:00 – 1:00 PM\. Please pick another time, or join the waitlist\.$/,
        ),
      });
      await book(b, {
        equipment: device,
        start: local('2026-12-02T11:00'),
        end: local('2026-12-02T13:00'),
      }).expect(409);
      await book(b, {
        equipment: device,
        start: local('2026-12-02T13:00'),
        end: local('2026-12-02T14:00'),
      }).expect(201);
      await book(b, {
        equipment: device,
        start: local('2026-12-02T11:00'),
        end: local('2026-12-02T12:00'),
      }).expect(201);
    });

    it('keeps the buffer free after a booking', async () => {
      const device = await newDevice(t, { policy: { bufferMinutes: 15 } });
      const [a, b] = [await newPatron(t), await newPatron(t)];
      await book(a, {
        equipment: device,
        start: local('2026-12-02T12:00'),
        end: local('2026-12-02T13:00'),
      }).expect(201);
      await book(b, {
        equipment: device,
        start: local('2026-12-02T13:00'),
        end: local('2026-12-02T14:00'),
      }).expect(409);
      await book(b, {
        equipment: device,
        start: local('2026-12-02T11:00'),
        end: local('2026-12-02T12:00'),
      }).expect(409);
      await book(b, {
        equipment: device,
        start: local('2026-12-02T13:30'),
        end: local('2026-12-02T14:00'),
      }).expect(201);
    });

    it('gives one slot to exactly one of 100 patrons racing for it', async () => {
      const device = await newDevice(t);
      const patrons = await Promise.all(Array.from({ length: 100 }, () => newPatron(t)));
      const responses = await Promise.all(
        patrons.map((p) =>
          book(p, {
            equipment: device,
            start: local('2026-12-03T15:00'),
            end: local('2026-12-03T16:00'),
          }),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(99);
      const live = await t.http
        .get('/api/bookings')
        .query({ equipment: device })
        .set(bearer(staff))
        .expect(200);
      expect(live.body).toHaveLength(1);
      expect(live.body[0].id).toBe(responses.find((r) => r.status === 201)!.body.id);
    });
  });

  describe('lifecycle', () => {
    it('reschedules under the same rules and frees the old time', async () => {
      const device = await newDevice(t);
      const [a, b] = [await newPatron(t), await newPatron(t)];
      const first = await book(a, {
        equipment: device,
        start: local('2026-12-02T10:00'),
        end: local('2026-12-02T11:00'),
      }).expect(201);
      await book(b, {
        equipment: device,
        start: local('2026-12-02T12:00'),
        end: local('2026-12-02T13:00'),
      }).expect(201);
      await t.http
        .patch(`/api/bookings/${first.body.id}`)
        .set(bearer(a.token))
        .send({ start: local('2026-12-02T12:30'), end: local('2026-12-02T13:30') })
        .expect(409);
      await t.http
        .patch(`/api/bookings/${first.body.id}`)
        .set(bearer(a.token))
        .send({ start: local('2026-12-02T07:00'), end: local('2026-12-02T08:00') })
        .expect(422);
      await t.http
        .patch(`/api/bookings/${first.body.id}`)
        .set(bearer(b.token))
        .send({ start: local('2026-12-02T14:00'), end: local('2026-12-02T15:00') })
        .expect(404);
      const moved = await t.http
        .patch(`/api/bookings/${first.body.id}`)
        .set(bearer(a.token))
        .send({ start: local('2026-12-02T10:30'), end: local('2026-12-02T11:30') })
        .expect(200);
      expect(moved.body).toMatchObject({
        start: '2026-12-02T10:30:00-05:00',
        code: first.body.code,
      });
      await book(b, {
        equipment: device,
        start: local('2026-12-02T10:00'),
        end: local('2026-12-02T10:30'),
      }).expect(201);
    });

    it('cancels, freeing the time at once, and refuses to cancel twice', async () => {
      const device = await newDevice(t);
      const [a, b] = [await newPatron(t), await newPatron(t)];
      const booking = await book(a, {
        equipment: device,
        start: local('2026-12-02T10:00'),
        end: local('2026-12-02T11:00'),
      }).expect(201);
      await t.http.post(`/api/bookings/${booking.body.id}/cancel`).set(bearer(b.token)).expect(404);
      const cancelled = await t.http
        .post(`/api/bookings/${booking.body.id}/cancel`)
        .set(bearer(a.token))
        .expect(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        cancelledAt: expect.any(String),
      });
      await t.http.post(`/api/bookings/${booking.body.id}/cancel`).set(bearer(a.token)).expect(409);
      await book(b, {
        equipment: device,
        start: local('2026-12-02T10:00'),
        end: local('2026-12-02T11:00'),
      }).expect(201);
      await t.http
        .patch(`/api/bookings/${booking.body.id}`)
        .set(bearer(a.token))
        .send({ start: local('2026-12-02T12:00'), end: local('2026-12-02T13:00') })
        .expect(409);
    });

    it('checks in at the desk by code when due, then completes with notes', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const booking = await book(patron, {
        equipment: device,
        start: local('2026-12-01T13:00'),
        end: local('2026-12-01T14:00'),
      }).expect(201);
      const early = await t.http
        .post('/api/desk/check-in')
        .set(bearer(staff))
        .send({ code: booking.body.code })
        .expect(422);
      expect(early.body).toMatchObject({
        code: 'NOT_DUE',
        message: expect.stringMatching(/check-in opens 15 minutes before/),
      });
      t.clock.set(local('2026-12-01T12:50'));
      const checked = await t.http
        .post('/api/desk/check-in')
        .set(bearer(staff))
        .send({ code: booking.body.code.toLowerCase() })
        .expect(200);
      expect(checked.body.checkedIn).toEqual([
        expect.objectContaining({ id: booking.body.id, status: 'checked_in' }),
      ]);
      await t.http.post(`/api/bookings/${booking.body.id}/check-in`).set(bearer(staff)).expect(409);
      await t.http
        .post(`/api/bookings/${booking.body.id}/cancel`)
        .set(bearer(patron.token))
        .expect(409);
      const done = await t.http
        .post(`/api/bookings/${booking.body.id}/complete`)
        .set(bearer(staff))
        .send({ notes: 'Left the mic stand up' })
        .expect(200);
      expect(done.body).toMatchObject({ status: 'completed', notes: 'Left the mic stand up' });
    });

    it('checks in every booking due now on a scanned card', async () => {
      const [d1, d2] = [await newDevice(t), await newDevice(t)];
      const patron = await newPatron(t);
      await book(patron, {
        equipment: d1,
        start: local('2026-12-01T15:00'),
        end: local('2026-12-01T16:00'),
      }).expect(201);
      await book(patron, {
        equipment: d2,
        start: local('2026-12-01T15:00'),
        end: local('2026-12-01T15:30'),
      }).expect(201);
      await book(patron, {
        equipment: d2,
        start: local('2026-12-01T18:00'),
        end: local('2026-12-01T18:30'),
      }).expect(201);
      t.clock.set(local('2026-12-01T15:05'));
      const checked = await t.http
        .post('/api/desk/check-in')
        .set(bearer(staff))
        .send({ cardNumber: patron.cardNumber })
        .expect(200);
      expect(checked.body.checkedIn).toHaveLength(2);
      const again = await t.http
        .post('/api/desk/check-in')
        .set(bearer(staff))
        .send({ cardNumber: patron.cardNumber })
        .expect(422);
      expect(again.body.code).toBe('NOTHING_DUE');
      await t.http
        .post('/api/desk/check-in')
        .set(bearer(staff))
        .send({ code: 'ZZZZZZ' })
        .expect(404);
      await t.http
        .post('/api/desk/check-in')
        .set(bearer(patron.token))
        .send({ code: 'ZZZZZZ' })
        .expect(403);
      await t.http.post('/api/desk/check-in').set(bearer(staff)).send({}).expect(400);
    });

    it('books once for a retried request with the same Idempotency-Key', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const body = {
        equipment: device,
        start: local('2026-12-02T10:00'),
        end: local('2026-12-02T11:00'),
      };
      const [first, second] = await Promise.all([
        book(patron, body).set('Idempotency-Key', 'retry-123'),
        book(patron, body).set('Idempotency-Key', 'retry-123'),
      ]);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body.id).toBe(first.body.id);
      const third = await book(patron, body).set('Idempotency-Key', 'retry-123').expect(201);
      expect(third.body.id).toBe(first.body.id);
      const reused = await book(patron, {
        ...body,
        start: local('2026-12-02T12:00'),
        end: local('2026-12-02T13:00'),
      })
        .set('Idempotency-Key', 'retry-123')
        .expect(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const mine = await t.http
        .get('/api/bookings')
        .query({ equipment: device })
        .set(bearer(patron.token))
        .expect(200);
      expect(mine.body).toHaveLength(1);
    });
  });

  describe('listing', () => {
    it('filters by local date, device and status', async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const a = await book(patron, {
        equipment: device,
        start: local('2026-12-02T10:00'),
        end: local('2026-12-02T11:00'),
      }).expect(201);
      await book(patron, {
        equipment: device,
        start: local('2026-12-03T10:00'),
        end: local('2026-12-03T11:00'),
      }).expect(201);
      await t.http.post(`/api/bookings/${a.body.id}/cancel`).set(bearer(patron.token)).expect(200);
      const day = await t.http
        .get('/api/bookings')
        .query({ from: '2026-12-03', to: '2026-12-03' })
        .set(bearer(patron.token))
        .expect(200);
      expect(day.body.map((b: { start: string }) => b.start)).toEqual([
        '2026-12-03T10:00:00-05:00',
      ]);
      const cancelled = await t.http
        .get('/api/bookings')
        .query({ status: 'cancelled', equipment: device })
        .set(bearer(staff))
        .expect(200);
      expect(cancelled.body.map((b: { id: string }) => b.id)).toEqual([a.body.id]);
      await t.http
        .get('/api/bookings')
        .query({ from: 'last tuesday' })
        .set(bearer(staff))
        .expect(400);
      await t.http.get('/api/bookings').query({ status: 'lost' }).set(bearer(staff)).expect(400);
      await t.http.get('/api/bookings/not-a-uuid').set(bearer(staff)).expect(400);
    });
  });

  it('shows the demo patron no bookings but their own', async () => {
    const demo = await signIn(t, 'patron');
    const list = await t.http.get('/api/bookings').set(bearer(demo)).expect(200);
    expect(
      list.body.every(
        (b: { patron: { cardNumber: string } }) => b.patron.cardNumber === DEMO.patron.cardNumber,
      ),
    ).toBe(true);
  });
});
