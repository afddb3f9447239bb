import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, mailTo, newDevice, newPatron, signIn } from './factories';

// Tuesday 1 December 2026, 9:00 in New York.
const NOW = '2026-12-01T14:00:00Z';

interface BookingBody {
  id: string;
  start: string;
  status: string;
  seriesId: string | null;
}

describe('Recurring bookings made by staff', () => {
  let t: TestApp;
  let staff: string;
  let librarian: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    staff = await signIn(t, 'staff');
    librarian = await signIn(t, 'librarian');
  });
  afterAll(() => t.close());

  const tenWednesdays = (equipment: string, extra: Record<string, unknown> = {}) => ({
    equipment,
    start: local('2026-12-02T16:00'),
    end: local('2026-12-02T17:30'),
    repeat: { every: 'week', count: 10 },
    ...extra,
  });

  it('refuses a 10-week series with one clash whole, makes the other 9 when asked, and cancels from week 5', async () => {
    // A device that allows a 90-minute session but only 14 days ahead: staff series reach further.
    const device = await newDevice(t, { policy: { maxMinutes: 90 } });
    const patron = await newPatron(t);
    const other = await newPatron(t);
    await t.http
      .post('/api/bookings')
      .set(bearer(other.token))
      .send({ equipment: device, start: local('2026-12-09T17:00'), end: local('2026-12-09T18:00') })
      .expect(201);

    const dry = await t.http
      .post('/api/series?dryRun=true')
      .set(bearer(staff))
      .send(tenWednesdays(device, { title: 'Teen podcast club' }))
      .expect(201);
    expect(dry.body.id).toBeNull();
    expect(dry.body.created).toHaveLength(9);
    expect(dry.body.conflicts).toEqual([
      expect.objectContaining({ start: local('2026-12-09T16:00'), code: 'SLOT_TAKEN' }),
    ]);

    const whole = await t.http
      .post('/api/series')
      .set(bearer(staff))
      .send(tenWednesdays(device, { title: 'Teen podcast club' }))
      .expect(409);
    expect(whole.body).toMatchObject({ code: 'SERIES_CONFLICTS' });
    expect(whole.body.message).toMatch(/^1 of the 10 bookings cannot be made, so none were/);
    expect(whole.body.conflicts).toHaveLength(1);
    const none = await t.http
      .get(`/api/bookings?equipment=${device}`)
      .set(bearer(staff))
      .expect(200);
    expect(none.body).toHaveLength(1);

    const made = await t.http
      .post('/api/series')
      .set(bearer(staff))
      .send(tenWednesdays(device, { cardNumber: patron.cardNumber, skipConflicts: true }))
      .expect(201);
    expect(made.body.created).toHaveLength(9);
    expect(made.body.conflicts).toHaveLength(1);
    const starts = (made.body.created as BookingBody[]).map((b) => b.start);
    expect(starts[0]).toBe(local('2026-12-02T16:00'));
    expect(starts[1]).toBe(local('2026-12-16T16:00'));
    expect(starts[8]).toBe(local('2027-02-03T16:00'));
    expect((made.body.created as BookingBody[]).every((b) => b.seriesId === made.body.id)).toBe(
      true,
    );
    // Each occurrence is a normal booking: the patron sees it and it holds its time.
    const mine = await t.http.get('/api/bookings').set(bearer(patron.token)).expect(200);
    expect(mine.body).toHaveLength(9);
    const taken = await t.http
      .post('/api/bookings')
      .set(bearer(other.token))
      .send({ equipment: device, start: local('2026-12-02T16:30'), end: local('2026-12-02T17:30') })
      .expect(409);
    expect(taken.body.code).toBe('SLOT_TAKEN');
    // One e-mail for the whole series, listing its dates.
    const mails = await mailTo(t, patron);
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain('This is the first of 9 bookings in a series');

    const cancelled = await t.http
      .post(`/api/series/${made.body.id}/cancel`)
      .set(bearer(staff))
      .send({ from: '2026-12-30' })
      .expect(200);
    const statuses = (cancelled.body.bookings as BookingBody[]).map((b) => b.status);
    expect(statuses).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(cancelled.body.repeat).toEqual({ every: 'week', count: 10, until: null });
    const audit = await t.http
      .get(`/api/audit?subject=${made.body.id}`)
      .set(bearer(librarian))
      .expect(200);
    expect((audit.body as { action: string }[]).map((e) => e.action).sort()).toEqual([
      'series.cancelled',
      'series.created',
    ]);
  });

  it('skips closed days like any booking, repeating daily until a date', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    const made = await t.http
      .post('/api/series')
      .set(bearer(staff))
      .send({
        equipment: device,
        start: local('2026-12-22T10:00'),
        end: local('2026-12-22T11:00'),
        repeat: { every: 'day', until: '2026-12-26' },
        cardNumber: patron.cardNumber,
        skipConflicts: true,
      })
      .expect(201);
    expect((made.body.created as BookingBody[]).map((b) => b.start)).toEqual([
      local('2026-12-22T10:00'),
      local('2026-12-23T10:00'),
      local('2026-12-26T10:00'),
    ]);
    expect(made.body.conflicts.map((c: { code: string }) => c.code)).toEqual(['CLOSED', 'CLOSED']);
  });

  it('says what is wrong with a series it cannot read, and keeps patrons out', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    const noEnd = await t.http
      .post('/api/series')
      .set(bearer(staff))
      .send({ ...tenWednesdays(device), repeat: { every: 'week' }, cardNumber: patron.cardNumber })
      .expect(400);
    expect(noEnd.body.message).toBe('repeat needs a count or an until date');
    const nobody = await t.http
      .post('/api/series')
      .set(bearer(staff))
      .send(tenWednesdays(device))
      .expect(400);
    expect(nobody.body.message).toMatch(/cardNumber is required, or a title/);
    const badEvery = await t.http
      .post('/api/series')
      .set(bearer(staff))
      .send({ ...tenWednesdays(device), repeat: { every: 'month', count: 2 }, title: 'x' })
      .expect(400);
    expect(badEvery.body.message).toContain('repeat.every must be "day" or "week"');
    await t.http
      .post('/api/series')
      .set(bearer(patron.token))
      .send(tenWednesdays(device, { cardNumber: patron.cardNumber }))
      .expect(403);
  });
});
