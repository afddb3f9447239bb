import ICAL from 'ical.js';
import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
import { createTestApp, TestApp } from './create-test-app';
import {
  bearer,
  local,
  mailTo as mailToPatron,
  newKit as newKitOf,
  newDevice,
  newPatron,
  signIn,
  TestPatron,
} from './factories';

// Tuesday 1 December 2026, 9:00 in New York.
const NOW = '2026-12-01T14:00:00Z';
const PARTS = ['Recorder', 'Lavalier mic', 'Windscreen'];

describe('Loan kits change hands only at the loan desk', () => {
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

  const newKit = () => newKitOf(t, PARTS);

  const reserve = (patron: TestPatron, equipment: string, firstDay: string, dayAfter: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment, start: local(`${firstDay}T00:00`), end: local(`${dayAfter}T00:00`) });

  const bookStation = (patron: TestPatron, equipment: string, from: string, to: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment, start: local(from), end: local(to) });

  const checkOut = (body: object) =>
    t.http.post('/api/loans/check-out').set(bearer(staff)).send(body);

  const status = async (id: string): Promise<string> =>
    (await t.http.get(`/api/bookings/${id}`).set(bearer(staff)).expect(200)).body.status as string;

  const deviceStatus = async (slug: string): Promise<string> =>
    (await t.http.get(`/api/equipment/${slug}`).expect(200)).body.status as string;

  const mailTo = (patron: TestPatron) => mailToPatron(t, patron);

  it('refuses check-in and finish on a kit, pointing to the loan desk, and leaves it untouched', async () => {
    const kit = await newKit();
    const patron = await newPatron(t);
    const booking = await reserve(patron, kit.slug, '2026-12-02', '2026-12-04').expect(201);
    t.clock.set(local('2026-12-02T10:00'));
    for (const action of ['check-in', 'complete']) {
      const refused = await t.http
        .post(`/api/bookings/${booking.body.id}/${action}`)
        .set(bearer(staff))
        .send({})
        .expect(422);
      expect(refused.body).toMatchObject({
        code: 'USE_THE_LOAN_DESK',
        message: expect.stringContaining('loan desk'),
      });
    }
    const byCode = await t.http
      .post('/api/desk/check-in')
      .set(bearer(staff))
      .send({ code: booking.body.code })
      .expect(422);
    expect(byCode.body.code).toBe('USE_THE_LOAN_DESK');
    expect(await status(booking.body.id)).toBe('confirmed');

    // Out through the loan desk, the old finish still cannot take it back.
    await checkOut({ assetTag: kit.assetTag, cardNumber: patron.cardNumber }).expect(200);
    const finish = await t.http
      .post(`/api/bookings/${booking.body.id}/complete`)
      .set(bearer(staff))
      .send({})
      .expect(422);
    expect(finish.body.code).toBe('USE_THE_LOAN_DESK');
    expect(await status(booking.body.id)).toBe('checked_in');
  });

  it('checks in only the stations on a scanned card, and says so plainly when only kits are due', async () => {
    const kit = await newKit();
    const station = await newDevice(t);
    const patron = await newPatron(t);
    const loan = await reserve(patron, kit.slug, '2026-12-02', '2026-12-03').expect(201);
    t.clock.set(local('2026-12-02T09:00'));
    const onlyKit = await t.http
      .post('/api/desk/check-in')
      .set(bearer(staff))
      .send({ cardNumber: patron.cardNumber })
      .expect(422);
    expect(onlyKit.body).toMatchObject({
      code: 'USE_THE_LOAN_DESK',
      message: expect.stringMatching(/only a loan kit due.*loan desk/),
    });

    const session = await bookStation(
      patron,
      station,
      '2026-12-02T13:00',
      '2026-12-02T14:00',
    ).expect(201);
    t.clock.set(local('2026-12-02T13:05'));
    const scanned = await t.http
      .post('/api/desk/check-in')
      .set(bearer(staff))
      .send({ cardNumber: patron.cardNumber })
      .expect(200);
    expect(scanned.body.checkedIn.map((b: { id: string }) => b.id)).toEqual([session.body.id]);
    expect(await status(loan.body.id)).toBe('confirmed');
  });

  it('takes a kit back damaged or incomplete out of service until staff clear it', async () => {
    const [damagedKit, shortKit, goodKit] = [await newKit(), await newKit(), await newKit()];
    const [first, second, third, next] = [
      await newPatron(t),
      await newPatron(t),
      await newPatron(t),
      await newPatron(t),
    ];
    const loans = [
      await reserve(first, damagedKit.slug, '2026-12-02', '2026-12-03').expect(201),
      await reserve(second, shortKit.slug, '2026-12-02', '2026-12-03').expect(201),
      await reserve(third, goodKit.slug, '2026-12-02', '2026-12-03').expect(201),
    ];
    const following = await reserve(next, damagedKit.slug, '2026-12-04', '2026-12-05').expect(201);
    t.clock.set(local('2026-12-02T10:00'));
    await checkOut({ assetTag: damagedKit.assetTag, cardNumber: first.cardNumber }).expect(200);
    await checkOut({ assetTag: shortKit.assetTag, cardNumber: second.cardNumber }).expect(200);
    await checkOut({ assetTag: goodKit.assetTag, cardNumber: third.cardNumber }).expect(200);

    t.clock.set(local('2026-12-02T16:00'));
    await t.http
      .post(`/api/loans/${loans[0].body.id}/return`)
      .set(bearer(staff))
      .send({ condition: 'Recorder screen cracked', damaged: true })
      .expect(200);
    await t.http
      .post(`/api/loans/${loans[1].body.id}/return`)
      .set(bearer(staff))
      .send({ condition: 'Good', missingParts: ['Windscreen'] })
      .expect(200);
    await t.http
      .post(`/api/loans/${loans[2].body.id}/return`)
      .set(bearer(staff))
      .send({ condition: 'Good' })
      .expect(200);
    expect(await deviceStatus(damagedKit.slug)).toBe('out_of_service');
    expect(await deviceStatus(shortKit.slug)).toBe('out_of_service');
    expect(await deviceStatus(goodKit.slug)).toBe('available');

    // Out of service: not booked any more, and the reservation made before is the lab's loss,
    // not the patron's: displaced, the patron told once, never released as a no-show.
    const booked = await reserve(third, shortKit.slug, '2026-12-07', '2026-12-08').expect(422);
    expect(booked.body.code).toBe('EQUIPMENT_UNAVAILABLE');
    const displaced = await t.http
      .get(`/api/bookings/${following.body.id}`)
      .set(bearer(staff))
      .expect(200);
    expect(displaced.body).toMatchObject({
      status: 'displaced',
      displacedReason: { kind: 'out_of_service', message: expect.stringContaining('damaged') },
    });
    const told = (await mailTo(next)).filter((m) => /is off/.test(m.subject ?? ''));
    expect(told).toHaveLength(1);
    expect(told[0].text).toContain('not counted against you');
    t.clock.set(local('2026-12-04T10:00'));
    const handed = await checkOut({
      assetTag: damagedKit.assetTag,
      cardNumber: next.cardNumber,
    }).expect(422);
    expect(handed.body).toMatchObject({
      code: 'EQUIPMENT_UNAVAILABLE',
      message: expect.stringContaining('out of service'),
    });
    t.clock.set(local('2026-12-05T10:00'));
    await t.app.get(BookingSweeps).markNoShows(t.clock.now());
    expect(await status(following.body.id)).toBe('displaced');
    t.clock.set(local('2026-12-04T10:00'));

    const trail = await t.http
      .get('/api/audit')
      .query({ subject: damagedKit.slug })
      .set(bearer(librarian))
      .expect(200);
    expect(trail.body[0]).toMatchObject({
      action: 'equipment.out_of_service',
      actor: 'Sam Desk (staff)',
      details: { booking: loans[0].body.code, reason: 'damaged' },
    });

    await t.http
      .patch(`/api/equipment/${damagedKit.slug}`)
      .set(bearer(librarian))
      .send({ status: 'available' })
      .expect(200);
    // Cleared, it is lent again: the patron whose reservation was displaced takes it as a walk-in.
    await checkOut({
      assetTag: damagedKit.assetTag,
      cardNumber: next.cardNumber,
      returnDate: '2026-12-05',
    }).expect(200);
  });

  it('books and hands over a walk-in kit in one step, or leaves nothing behind', async () => {
    const kit = await newKit();
    const [patron, other] = [await newPatron(t), await newPatron(t)];
    t.clock.set(local('2026-12-01T11:00'));
    const out = await checkOut({
      assetTag: kit.assetTag,
      cardNumber: patron.cardNumber,
      returnDate: '2026-12-03',
      partsPresent: ['Recorder', 'Windscreen'],
    }).expect(200);
    expect(out.body).toMatchObject({
      status: 'checked_in',
      start: '2026-12-01T00:00:00-05:00',
      end: '2026-12-04T00:00:00-05:00',
      dueDate: '2026-12-03',
      partsOut: ['Recorder', 'Windscreen'],
      checkedOutAt: '2026-12-01T11:00:00-05:00',
    });

    // The kit is out: a second walk-in is refused and no booking is left behind.
    const refused = await checkOut({
      assetTag: kit.assetTag,
      cardNumber: other.cardNumber,
      returnDate: '2026-12-10',
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const cases: [object, number, string | RegExp][] = [
      [{ returnDate: '2026-11-30' }, 422, /before today/],
      [{ returnDate: '2026-02-30' }, 400, /returnDate/],
      [{ returnDate: '2026-12-20' }, 422, 'TOO_LONG'],
      [{ returnDate: '2026-12-02', partsPresent: ['Tripod'] }, 400, /^partsPresent names "Tripod"/],
    ];
    const spare = await newKit();
    for (const [extra, code, expected] of cases) {
      const response = await checkOut({
        assetTag: spare.assetTag,
        cardNumber: other.cardNumber,
        ...extra,
      });
      const seen = typeof expected === 'string' ? response.body.code : response.body.message;
      expect([response.status, seen]).toEqual([code, expect.stringMatching(expected)]);
    }
    const left = await t.http
      .get('/api/bookings')
      .query({ from: '2026-11-01', to: '2027-12-31' })
      .set(bearer(other.token))
      .expect(200);
    expect(left.body).toEqual([]);
  });

  it('words a kit reservation as days in e-mails and makes it an all-day calendar event', async () => {
    const kit = await newKit();
    const patron = await newPatron(t);
    const booking = await reserve(patron, kit.slug, '2026-12-02', '2026-12-05').expect(201);
    const [confirmation] = await mailTo(patron);
    expect(confirmation.subject).toContain('Wed, Dec 2 – Fri, Dec 4, back by closing');
    expect(confirmation.text).toContain('When: Wed, Dec 2 – Fri, Dec 4, back by closing');
    expect(`${confirmation.subject} ${confirmation.text}`).not.toMatch(/12:00 AM|00:00/);

    const ics = await t.http
      .get(`/api/bookings/${booking.body.id}/calendar.ics`)
      .set(bearer(patron.token))
      .expect(200);
    const text = ics.text;
    expect(text).toContain('DTSTART;VALUE=DATE:20261202');
    expect(text).toContain('DTEND;VALUE=DATE:20261205');
    const calendar = new ICAL.Component(ICAL.parse(text));
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent') ?? undefined);
    expect(event.startDate.isDate).toBe(true);
    expect(event.endDate.isDate).toBe(true);
    expect(event.startDate.toString()).toBe('2026-12-02');
    expect(event.endDate.toString()).toBe('2026-12-05');
  });

  it('shows kit reservations as days on the pages, and sends the desk to the loan desk for them', async () => {
    const kit = await newKit();
    const station = await newDevice(t);
    const patron = await newPatron(t);
    const loan = await reserve(patron, kit.slug, '2026-12-02', '2026-12-05').expect(201);
    const session = await bookStation(
      patron,
      station,
      '2026-12-02T13:00',
      '2026-12-02T14:00',
    ).expect(201);
    t.clock.set(local('2026-12-02T10:00'));
    const page = async (path: string, token: string) =>
      (await t.http.get(path).set(bearer(token)).expect(200)).text;

    const mine = await page('/my/bookings', patron.token);
    expect(mine).toContain('Wed, Dec 2 – Fri, Dec 4, back by closing');
    expect(mine).not.toContain('00:00');

    const desk = await page('/desk', staff);
    expect(desk).toContain('Wed, Dec 2 – Fri, Dec 4, back by closing');
    expect(desk).not.toContain(`/desk/bookings/${loan.body.id}/check-in`);
    expect(desk).toContain(`/desk/bookings/${session.body.id}/check-in`);
    expect(desk).toMatch(/<a href="\/desk\/loans">Hand over at the loan desk/);
    expect(desk).toContain('To pick up at the loan desk');

    await checkOut({ assetTag: kit.assetTag, cardNumber: patron.cardNumber }).expect(200);
    const afterOut = await page('/desk', staff);
    expect(afterOut).not.toContain(`/desk/bookings/${loan.body.id}/complete`);
    expect(afterOut).toMatch(/<a href="\/desk\/loans">Take back at the loan desk/);
    const loans = await page('/desk/loans', staff);
    expect(loans).toContain('due back Fri, Dec 4');

    const device = await page(`/equipment/${kit.slug}`, patron.token);
    expect(device).toContain('Wed, Dec 2: taken');
    expect(device).toContain('Sat, Dec 5: ');
  });

  it('never hands a kit over while it is being taken back damaged, nor to two walk-ins at once', async () => {
    const kit = await newKit();
    const [first, next, walkIn, rival] = [
      await newPatron(t),
      await newPatron(t),
      await newPatron(t),
      await newPatron(t),
    ];
    const loan = await reserve(first, kit.slug, '2026-12-02', '2026-12-03').expect(201);
    await reserve(next, kit.slug, '2026-12-03', '2026-12-04').expect(201);
    t.clock.set(local('2026-12-02T10:00'));
    await checkOut({ assetTag: kit.assetTag, cardNumber: first.cardNumber }).expect(200);
    t.clock.set(local('2026-12-03T10:00'));
    const [back, handed] = await Promise.all([
      t.http
        .post(`/api/loans/${loan.body.id}/return`)
        .set(bearer(staff))
        .send({ condition: 'Dropped', damaged: true }),
      checkOut({ assetTag: kit.assetTag, cardNumber: next.cardNumber }),
    ]);
    expect(back.status).toBe(200);
    expect(handed.status).not.toBe(200);
    expect(['KIT_STILL_OUT', 'EQUIPMENT_UNAVAILABLE']).toContain(handed.body.code);
    expect(await deviceStatus(kit.slug)).toBe('out_of_service');

    const spare = await newKit();
    const racers = await Promise.all(
      [walkIn, rival].map((p) =>
        checkOut({ assetTag: spare.assetTag, cardNumber: p.cardNumber, returnDate: '2026-12-04' }),
      ),
    );
    expect(racers.map((r) => r.status).sort()).toEqual([200, 409]);
    const live = await t.http
      .get('/api/bookings')
      .query({ equipment: spare.slug })
      .set(bearer(staff))
      .expect(200);
    expect(live.body.map((b: { status: string }) => b.status)).toEqual(['checked_in']);
  });
});
