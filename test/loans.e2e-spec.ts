import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
import { OverdueLoansService } from '../src/loans/overdue-loans.service';
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
const PARTS = ['Camera body', 'Zoom lens', 'Battery', 'Charger'];

describe('Loan kits: check-out, overdue and return', () => {
  let t: TestApp;
  let staff: string;
  let librarian: string;
  let overdue: OverdueLoansService;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    staff = await signIn(t, 'staff');
    librarian = await signIn(t, 'librarian');
    overdue = t.app.get(OverdueLoansService);
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const newKit = () => newKitOf(t, PARTS);

  const reserve = (patron: TestPatron, equipment: string, firstDay: string, dayAfter: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment, start: local(`${firstDay}T00:00`), end: local(`${dayAfter}T00:00`) });

  const checkOut = (body: object) =>
    t.http.post('/api/loans/check-out').set(bearer(staff)).send(body);

  const giveBack = (id: string, body: object) =>
    t.http.post(`/api/loans/${id}/return`).set(bearer(staff)).send(body);

  const mailTo = (patron: TestPatron) => mailToPatron(t, patron);

  it('follows a loan from reservation to a late return, keeping the kit and reporting the clash meanwhile', async () => {
    const kit = await newKit();
    const [borrower, next, later] = [await newPatron(t), await newPatron(t), await newPatron(t)];
    // Wednesday 2 to Friday 4 December; the next patron has Saturday 5 to Monday 7.
    const loan = await reserve(borrower, kit.slug, '2026-12-02', '2026-12-05').expect(201);
    const following = await reserve(next, kit.slug, '2026-12-05', '2026-12-08').expect(201);
    const [confirmation] = await mailTo(borrower);
    expect(confirmation.text).toContain(
      'Please pick the kit up at the desk on Wed, Dec 2 and bring it back by closing time on Fri, Dec 4.',
    );

    t.clock.set(local('2026-12-02T10:30'));
    const out = await checkOut({
      assetTag: kit.assetTag.toLowerCase(),
      cardNumber: borrower.cardNumber,
      partsPresent: ['Camera body', 'Zoom lens', 'Battery'],
    }).expect(200);
    expect(out.body).toMatchObject({
      id: loan.body.id,
      status: 'checked_in',
      assetTag: kit.assetTag,
      dueDate: '2026-12-04',
      checkedOutAt: '2026-12-02T10:30:00-05:00',
      partsOut: ['Camera body', 'Zoom lens', 'Battery'],
      returnedAt: null,
      overdueDays: 0,
    });
    const again = await checkOut({
      assetTag: kit.assetTag,
      cardNumber: borrower.cardNumber,
    }).expect(409);
    expect(again.body).toMatchObject({ code: 'KIT_STILL_OUT' });

    // Due date, closing time: not late yet, nothing sent.
    t.clock.set(local('2026-12-04T19:59'));
    expect(await overdue.sendNotices(t.clock.now())).toBe(0);
    const none = await t.http.get('/api/loans/overdue').set(bearer(staff)).expect(200);
    expect(none.body.map((o: { loan: { id: string } }) => o.loan.id)).not.toContain(loan.body.id);

    // The day after: one notice, and never a second one.
    t.clock.set(local('2026-12-05T09:00'));
    expect(await overdue.sendNotices(t.clock.now())).toBe(1);
    expect(await overdue.sendNotices(t.clock.now())).toBe(0);
    t.clock.set(local('2026-12-06T09:00'));
    expect(await overdue.sendNotices(t.clock.now())).toBe(0);
    const notices = (await mailTo(borrower)).filter((m) => /overdue/i.test(m.subject ?? ''));
    expect(notices).toHaveLength(1);
    expect(notices[0].subject).toMatch(/^Please bring back the Test station \d+: it is overdue$/);
    expect(notices[0].text).toContain('It was due back by closing on Fri, Dec 4.');
    expect(notices[0].text).toContain('Borrowed: Wed, Dec 2 – Fri, Dec 4, back by closing');
    expect(notices[0].text).toContain(`Booking code: ${loan.body.code}`);

    // Sunday 6 December: the kit is still out, so it stays unavailable past its booked days.
    const day = await t.http
      .get(`/api/equipment/${kit.slug}/availability`)
      .query({ date: '2026-12-09' })
      .expect(200);
    expect(day.body.slots).toEqual([expect.objectContaining({ available: false })]);
    const free = await t.http
      .get('/api/availability')
      .query({ start: local('2026-12-09T00:00'), end: local('2026-12-10T00:00') })
      .expect(200);
    expect(free.body.map((d: { slug: string }) => d.slug)).not.toContain(kit.slug);
    const refused = await reserve(later, kit.slug, '2026-12-09', '2026-12-10').expect(409);
    expect(refused.body).toMatchObject({
      code: 'SLOT_TAKEN',
      message: expect.stringContaining(
        'still out on loan: it was due back Fri, Dec 4. It can be booked again once it is returned.',
      ),
    });
    const blocked = await checkOut({
      assetTag: kit.assetTag,
      cardNumber: next.cardNumber,
    }).expect(409);
    expect(blocked.body.code).toBe('KIT_STILL_OUT');

    // The next patron could not pick the kit up on Saturday: no fault of theirs, not a no-show.
    await t.app.get(BookingSweeps).markNoShows(t.clock.now());
    const waiting = await t.http
      .get(`/api/bookings/${following.body.id}`)
      .set(bearer(staff))
      .expect(200);
    expect(waiting.body.status).toBe('confirmed');

    const report = await t.http.get('/api/loans/overdue').set(bearer(staff)).expect(200);
    const entry = report.body.find((o: { loan: { id: string } }) => o.loan.id === loan.body.id);
    expect(entry).toMatchObject({
      overdueDays: 2,
      loan: { equipment: kit.slug, dueDate: '2026-12-04', overdueDays: 2 },
    });
    expect(entry.collisions.map((b: { code: string }) => b.code)).toEqual([following.body.code]);

    // Monday 7 December: back, two parts short of what went out is refused, one part missing is kept.
    t.clock.set(local('2026-12-07T11:00'));
    const notHandedOver = await giveBack(loan.body.id, {
      condition: 'Good',
      missingParts: ['Charger'],
    }).expect(400);
    expect(notHandedOver.body.message).toMatch(/^missingParts names "Charger"/);
    const returned = await giveBack(loan.body.id, {
      condition: 'Good; small scratch on the lens hood',
      missingParts: ['Battery'],
      notes: 'Patron will bring the battery tomorrow.',
    }).expect(200);
    expect(returned.body).toMatchObject({
      status: 'completed',
      returnedAt: '2026-12-07T11:00:00-05:00',
      condition: 'Good; small scratch on the lens hood',
      missingParts: ['Battery'],
      notes: 'Patron will bring the battery tomorrow.',
      overdueDays: 3,
    });
    const twice = await giveBack(loan.body.id, { condition: 'Good' }).expect(409);
    expect(twice.body).toMatchObject({ code: 'WRONG_STATUS' });

    // Back with a part missing, the kit is out of service until staff have sorted it out.
    const unfit = await checkOut({ assetTag: kit.assetTag, cardNumber: next.cardNumber }).expect(
      422,
    );
    expect(unfit.body.code).toBe('EQUIPMENT_UNAVAILABLE');
    // The reservation it held up is the lab's loss now, not a no-show waiting to happen.
    const lost = await t.http.get(`/api/bookings/${following.body.id}`).set(bearer(staff));
    expect(lost.body).toMatchObject({ status: 'displaced' });
    await t.http
      .patch(`/api/equipment/${kit.slug}`)
      .set(bearer(librarian))
      .send({ status: 'available' })
      .expect(200);
    // Set back, the kit is free again: the next patron takes it and a later day can be booked.
    await checkOut({
      assetTag: kit.assetTag,
      cardNumber: next.cardNumber,
      returnDate: '2026-12-08',
    }).expect(200);
    await reserve(later, kit.slug, '2026-12-09', '2026-12-10').expect(201);
    const after = await t.http.get('/api/loans/overdue').set(bearer(staff)).expect(200);
    expect(after.body.map((o: { loan: { id: string } }) => o.loan.id)).not.toContain(loan.body.id);

    const trail = await t.http
      .get('/api/audit')
      .query({ subject: loan.body.code })
      .set(bearer(librarian))
      .expect(200);
    expect(trail.body.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['loan.returned', 'Sam Desk (staff)'],
      ['loan.checked_out', 'Sam Desk (staff)'],
      ['booking.created', expect.stringContaining('(patron)')],
    ]);
    expect(trail.body[0].details).toEqual({
      equipment: kit.slug,
      patron: borrower.cardNumber,
      condition: 'Good; small scratch on the lens hood',
      missingParts: 'Battery',
      overdueDays: 3,
    });
    expect(trail.body[1].details).toEqual({
      equipment: kit.slug,
      assetTag: kit.assetTag,
      patron: borrower.cardNumber,
      parts: 3,
      notHandedOver: 'Charger',
    });
  });

  it('hands every part over when the desk ticks none, and books a walk-in first on a seeded kit', async () => {
    const patron = await newPatron(t);
    t.clock.set(local('2026-12-01T15:00'));
    const kit = await t.http.get('/api/equipment/camera-kit-1').expect(200);
    expect(kit.body).toMatchObject({ kind: 'loan', assetTag: 'DML-0017' });
    expect(kit.body.parts).toContain('Canon EOS R50 body');
    const nothing = await checkOut({ assetTag: 'DML-0017', cardNumber: patron.cardNumber }).expect(
      422,
    );
    expect(nothing.body).toMatchObject({
      code: 'NO_RESERVATION',
      message: expect.stringContaining(
        'has no reservation of Mirrorless camera kit 1 (Canon EOS R50) for today',
      ),
    });
    // The desk may book from today, though patrons must book a day ahead.
    await t.http
      .post('/api/bookings')
      .set(bearer(staff))
      .send({
        equipment: 'camera-kit-1',
        start: local('2026-12-01T00:00'),
        end: local('2026-12-03T00:00'),
        cardNumber: patron.cardNumber,
      })
      .expect(201);
    const out = await checkOut({ assetTag: ' DML-0017 ', cardNumber: patron.cardNumber }).expect(
      200,
    );
    expect(out.body).toMatchObject({ status: 'checked_in', dueDate: '2026-12-02' });
    expect(out.body.partsOut).toEqual(kit.body.parts);
    await giveBack(out.body.id as string, { condition: 'Good' }).expect(200);
  });

  it('releases a reservation nobody picked up only when its first day is over', async () => {
    const kit = await newKit();
    const patron = await newPatron(t);
    const reservation = await reserve(patron, kit.slug, '2026-12-02', '2026-12-04').expect(201);
    const sweeps = t.app.get(BookingSweeps);
    t.clock.set(local('2026-12-02T19:59'));
    expect(await sweeps.markNoShows(t.clock.now())).toBe(0);
    const early = await checkOut({ assetTag: kit.assetTag, cardNumber: patron.cardNumber });
    expect(early.status).toBe(200);
    await giveBack(reservation.body.id, { condition: 'Unused' }).expect(200);

    const unpicked = await reserve(patron, kit.slug, '2026-12-08', '2026-12-09').expect(201);
    t.clock.set(local('2026-12-08T23:59'));
    expect(await sweeps.markNoShows(t.clock.now())).toBe(0);
    t.clock.set(local('2026-12-09T00:00'));
    expect(await sweeps.markNoShows(t.clock.now())).toBe(1);
    const row = await t.http
      .get(`/api/bookings/${unpicked.body.id}`)
      .set(bearer(staff))
      .expect(200);
    expect(row.body.status).toBe('no_show');
  });

  it('refuses wrong tags, cards, parts and bookings with a clear 4xx', async () => {
    const kit = await newKit();
    const [patron, other] = [await newPatron(t), await newPatron(t)];
    const reservation = await reserve(patron, kit.slug, '2026-12-03', '2026-12-04').expect(201);
    t.clock.set(local('2026-12-03T12:00'));
    const cases: [object, number, string | RegExp][] = [
      [{ cardNumber: patron.cardNumber }, 400, /assetTag/],
      [{ assetTag: kit.assetTag, cardNumber: 'abc' }, 400, /cardNumber/],
      [
        { assetTag: kit.assetTag, cardNumber: patron.cardNumber, partsPresent: 'all' },
        400,
        /partsPresent/,
      ],
      [
        {
          assetTag: kit.assetTag,
          cardNumber: patron.cardNumber,
          partsPresent: ['Battery', 'Battery'],
        },
        400,
        /partsPresent/,
      ],
      [
        { assetTag: kit.assetTag, cardNumber: patron.cardNumber, partsPresent: ['Tripod'] },
        400,
        /^partsPresent names "Tripod"/,
      ],
      [{ assetTag: 'NO-SUCH-TAG', cardNumber: patron.cardNumber }, 404, 'UNKNOWN_ASSET_TAG'],
      [{ assetTag: 'DML-0004', cardNumber: patron.cardNumber }, 422, 'NOT_A_LOAN_KIT'],
      [{ assetTag: kit.assetTag, cardNumber: '29999999999999' }, 404, 'UNKNOWN_CARD'],
      [{ assetTag: kit.assetTag, cardNumber: other.cardNumber }, 422, 'NO_RESERVATION'],
    ];
    for (const [body, status, expected] of cases) {
      const response = await checkOut(body);
      const seen = typeof expected === 'string' ? response.body.code : response.body.message;
      expect([response.status, seen]).toEqual([status, expect.stringMatching(expected)]);
    }

    await giveBack(reservation.body.id, { condition: 'Good' }).expect(409);
    const blank = await giveBack(reservation.body.id, { condition: '   ' }).expect(400);
    expect(blank.body.message).toMatch(/condition/);
    const noCondition = await giveBack(reservation.body.id, {}).expect(400);
    expect(noCondition.body.message).toMatch(/condition/);
    const wrongShape = await giveBack(reservation.body.id, {
      condition: 'Good',
      missingParts: 'Battery',
    }).expect(400);
    expect(wrongShape.body.message).toMatch(/missingParts/);
    await giveBack('not-a-uuid', { condition: 'Good' }).expect(400);
    await giveBack('7d3c7a52-3b8e-4e8f-9b7a-2f4c1f0e9a11', { condition: 'Good' }).expect(404);

    const station = await newDevice(t);
    const session = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({
        equipment: station,
        start: local('2026-12-03T13:00'),
        end: local('2026-12-03T14:00'),
      })
      .expect(201);
    const notALoan = await giveBack(session.body.id, { condition: 'Good' }).expect(422);
    expect(notALoan.body.code).toBe('NOT_A_LOAN_KIT');
  });

  it('sends each overdue notice once when two sweeps overlap', async () => {
    const patrons = [await newPatron(t), await newPatron(t), await newPatron(t)];
    const kits = [await newKit(), await newKit(), await newKit()];
    for (const [index, patron] of patrons.entries())
      await reserve(patron, kits[index].slug, '2026-12-02', '2026-12-03').expect(201);
    t.clock.set(local('2026-12-02T12:00'));
    for (const [index, patron] of patrons.entries())
      await checkOut({ assetTag: kits[index].assetTag, cardNumber: patron.cardNumber }).expect(200);

    t.clock.set(local('2026-12-03T10:00'));
    let sent = 0;
    for (let round = 0; round < 3; round += 1) {
      const counts = await Promise.all([
        overdue.sendNotices(t.clock.now()),
        overdue.sendNotices(t.clock.now()),
      ]);
      sent += counts[0] + counts[1];
    }
    expect(sent).toBe(patrons.length);
    for (const patron of patrons) {
      const notices = (await mailTo(patron)).filter((m) => /overdue/i.test(m.subject ?? ''));
      expect(notices).toHaveLength(1);
    }
    for (const loan of (await t.http.get('/api/loans/overdue').set(bearer(staff)).expect(200)).body)
      await giveBack(loan.loan.id as string, { condition: 'Good' }).expect(200);
  });

  it('lets librarians keep a kit’s asset tag and parts list', async () => {
    const kit = await newKit();
    const changed = await t.http
      .patch(`/api/equipment/${kit.slug}`)
      .set(bearer(librarian))
      .send({ assetTag: `${kit.assetTag}-B`, parts: ['Camera body', 'Zoom lens'] })
      .expect(200);
    expect(changed.body).toMatchObject({
      assetTag: `${kit.assetTag}-B`,
      parts: ['Camera body', 'Zoom lens'],
    });
    const other = await newKit();
    await t.http
      .patch(`/api/equipment/${other.slug}`)
      .set(bearer(librarian))
      .send({ assetTag: `${kit.assetTag}-B` })
      .expect(409);
    const twice = await t.http
      .patch(`/api/equipment/${other.slug}`)
      .set(bearer(librarian))
      .send({ parts: ['Lens', 'Lens'] })
      .expect(400);
    expect(twice.body.message).toMatch(/parts/);
  });
});
