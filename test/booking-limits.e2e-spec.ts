import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn } from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';

interface Slot {
  start: string;
  available: boolean;
  reason?: { code: string; message: string };
}

describe('Limits a library asks for, and a staff override with a reason', () => {
  let t: TestApp;
  let staff: string;
  let librarian: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW, env: { MAX_LIVE_BOOKINGS_PER_PATRON: '3' } });
    staff = await signIn(t, 'staff');
    librarian = await signIn(t, 'librarian');
  });
  afterAll(() => t.close());

  const book = (token: string, equipment: string, start: string, end: string, extra = {}) =>
    t.http
      .post('/api/bookings')
      .set(bearer(token))
      .send({ equipment, start: local(start), end: local(end), ...extra });

  it('counts a daily limit across the devices of one category, and availability says so', async () => {
    const policy = { maxMinutesPerDay: 90, minMinutes: 60 };
    const [first, second] = [
      await newDevice(t, { category: 'audio', policy }),
      await newDevice(t, { category: 'audio', policy }),
    ];
    const other = await newDevice(t, { category: 'editing', policy });
    const patron = await newPatron(t);
    await book(patron.token, first, '2026-12-02T10:00', '2026-12-02T11:00').expect(201);

    const refused = await book(patron.token, second, '2026-12-02T14:00', '2026-12-02T15:00').expect(
      422,
    );
    expect(refused.body).toMatchObject({ code: 'DAILY_LIMIT' });
    expect(refused.body.message).toBe(
      'Each patron may book up to 90 minutes of this kind of equipment a day; you have 30 minutes left that day.',
    );
    // Another category, or another day, is not touched by it.
    await book(patron.token, other, '2026-12-02T14:00', '2026-12-02T15:00').expect(201);
    await book(patron.token, second, '2026-12-03T14:00', '2026-12-03T15:00').expect(201);

    const day = await t.http
      .get(`/api/equipment/${second}/availability?date=2026-12-02`)
      .set(bearer(patron.token))
      .expect(200);
    const slots = day.body.slots as Slot[];
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.filter((s) => s.available)).toEqual([]);
    expect(slots.map((s) => s.reason?.code)).toContain('DAILY_LIMIT');
    // Someone else sees the same device free.
    const anonymous = await t.http
      .get(`/api/equipment/${second}/availability?date=2026-12-02`)
      .expect(200);
    expect((anonymous.body.slots as Slot[]).some((s) => s.available)).toBe(true);
  });

  it('counts a booking of the patron that is also in the way once, and calls it the slot taken', async () => {
    const device = await newDevice(t, {
      policy: { maxActivePerPatron: 2, maxMinutesPerWeek: 120 },
    });
    const patron = await newPatron(t);
    const held = await book(patron.token, device, '2026-12-02T10:00', '2026-12-02T11:00').expect(
      201,
    );

    // One upcoming booking of 60 minutes: under both limits, so what stands in the way is the slot.
    const refused = await book(patron.token, device, '2026-12-02T10:30', '2026-12-02T11:30');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'SLOT_TAKEN' });

    // Moving the booking onto that time does not count the booking against itself.
    const moved = await t.http
      .patch(`/api/bookings/${held.body.id}`)
      .set(bearer(patron.token))
      .send({ start: local('2026-12-02T10:30'), end: local('2026-12-02T11:30') })
      .expect(200);
    expect(moved.body.start).toBe(local('2026-12-02T10:30'));
    // Its 60 minutes and one more booking of 60 still fit the week's 120 and the cap of two.
    await book(patron.token, device, '2026-12-03T10:00', '2026-12-03T11:00').expect(201);
  });

  it('caps the live bookings one patron holds across the whole lab', async () => {
    const devices = [
      await newDevice(t),
      await newDevice(t),
      await newDevice(t),
      await newDevice(t),
    ];
    const patron = await newPatron(t);
    for (const [i, device] of devices.slice(0, 3).entries())
      await book(patron.token, device, `2026-12-0${2 + i}T10:00`, `2026-12-0${2 + i}T10:30`).expect(
        201,
      );
    const refused = await book(patron.token, devices[3], '2026-12-07T10:00', '2026-12-07T10:30');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(refused.body.message).toContain('3 upcoming bookings in the lab');
  });

  it('lets staff set a rule aside with a reason the audit trail keeps, but never overlap or closed hours', async () => {
    const device = await newDevice(t, { policy: { maxMinutesPerDay: 60 } });
    const patron = await newPatron(t);
    await book(patron.token, device, '2026-12-02T10:00', '2026-12-02T11:00').expect(201);
    const card = { cardNumber: patron.cardNumber };
    const plain = await book(staff, device, '2026-12-02T12:00', '2026-12-02T13:00', card).expect(
      422,
    );
    expect(plain.body.code).toBe('DAILY_LIMIT');

    const reason = 'Finishing a school project due tomorrow';
    const overridden = await book(staff, device, '2026-12-02T12:00', '2026-12-02T13:00', {
      ...card,
      overrideReason: reason,
    }).expect(201);
    const audit = await t.http
      .get(`/api/audit?subject=${overridden.body.code}`)
      .set(bearer(librarian))
      .expect(200);
    const created = (audit.body as { action: string; details: Record<string, string> }[]).find(
      (e) => e.action === 'booking.created',
    );
    expect(created?.details).toMatchObject({
      overrideReason: reason,
      rulesSetAside: 'DAILY_LIMIT',
    });

    // Overlap and opening hours stand whatever the reason.
    const clash = await book(staff, device, '2026-12-02T12:30', '2026-12-02T13:30', {
      ...card,
      overrideReason: reason,
    });
    expect(clash.status).toBe(409);
    const late = await book(staff, device, '2026-12-02T21:00', '2026-12-02T22:00', {
      ...card,
      overrideReason: reason,
    });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('OUTSIDE_OPENING_HOURS');

    // A patron cannot set their own rules aside.
    const byPatron = await book(patron.token, device, '2026-12-04T10:00', '2026-12-04T11:00', {
      overrideReason: 'please',
    });
    expect(byPatron.status).toBe(403);
  });
});
