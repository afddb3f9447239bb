import { CSRF_COOKIE, csrfTokenFor } from '../src/web/csrf';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, TestPatron } from './factories';

const NOW = '2026-12-01T14:00:00Z';

describe('Waitlist that cannot be gamed', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const span = (equipment: string, start: string, end: string) => ({
    equipment,
    start: local(`2026-12-02T${start}`),
    end: local(`2026-12-02T${end}`),
  });
  const book = (patron: TestPatron, equipment: string, start: string, end: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send(span(equipment, start, end));
  const wait = (patron: TestPatron, equipment: string, start: string, end: string) =>
    t.http
      .post('/api/waitlist')
      .set(bearer(patron.token))
      .send(span(equipment, start, end));
  const cancel = (patron: TestPatron, id: string) =>
    t.http.post(`/api/bookings/${id}/cancel`).set(bearer(patron.token)).expect(200);
  const entries = async (patron: TestPatron) =>
    (await t.http.get('/api/waitlist').set(bearer(patron.token)).expect(200)).body as {
      status: string;
      position: number | null;
      bookingId: string | null;
      start: string;
      end: string;
    }[];
  const liveBookings = async (patron: TestPatron, equipment: string) =>
    (
      (await t.http.get('/api/bookings').query({ equipment }).set(bearer(patron.token)).expect(200))
        .body as { status: string; start: string; end: string }[]
    ).filter((b) => b.status === 'confirmed');
  const later = (minutes: number) =>
    t.clock.set(new Date(t.clock.now().getTime() + minutes * 60_000).toISOString());

  it('refuses to queue a patron for a time they already hold, and their cancellation books the patron really waiting', async () => {
    const device = await newDevice(t);
    const [holder, waiting] = [await newPatron(t), await newPatron(t)];
    const held = await book(holder, device, '10:00', '11:00').expect(201);

    const same = await wait(holder, device, '10:00', '11:00').expect(422);
    expect(same.body).toMatchObject({ code: 'ALREADY_YOURS' });
    expect(same.body.message).toContain(held.body.code);
    const overlapping = await wait(holder, device, '10:30', '11:30').expect(422);
    expect(overlapping.body.code).toBe('ALREADY_YOURS');
    await wait(waiting, device, '10:00', '11:00').expect(201);

    later(5);
    await cancel(holder, held.body.id);

    expect(await liveBookings(holder, device)).toEqual([]);
    expect(await entries(holder)).toEqual([]);
    expect(await entries(waiting)).toEqual([
      expect.objectContaining({ status: 'promoted', bookingId: expect.any(String) }),
    ]);
    expect(await liveBookings(waiting, device)).toEqual([
      expect.objectContaining({ start: '2026-12-02T10:00:00-05:00' }),
    ]);
  });

  it('never hands a patron back, from the queue, the time their own cancellation freed', async () => {
    const device = await newDevice(t);
    const [first, gamer, waiting] = [await newPatron(t), await newPatron(t), await newPatron(t)];
    const blocker = await book(first, device, '10:00', '10:30').expect(201);
    // Queued for the hour while its first half is taken, then books the free second half.
    await wait(gamer, device, '10:00', '11:00').expect(201);
    later(1);
    const own = await book(gamer, device, '10:30', '11:00').expect(201);
    await wait(waiting, device, '10:30', '11:00').expect(201);
    later(1);
    await cancel(first, blocker.body.id);
    expect(await entries(gamer)).toEqual([expect.objectContaining({ status: 'waiting' })]);

    later(1);
    await cancel(gamer, own.body.id);

    expect(await liveBookings(gamer, device)).toEqual([]);
    expect(await entries(gamer)).toEqual([
      expect.objectContaining({ status: 'left', bookingId: null, position: null }),
    ]);
    expect(await entries(waiting)).toEqual([expect.objectContaining({ status: 'promoted' })]);
    expect(await liveBookings(waiting, device)).toEqual([
      expect.objectContaining({
        start: '2026-12-02T10:30:00-05:00',
        end: '2026-12-02T11:00:00-05:00',
      }),
    ]);
  });

  it('still books a patron who cancelled before queueing for the same time again', async () => {
    const device = await newDevice(t);
    const [changedMind, taker] = [await newPatron(t), await newPatron(t)];
    const first = await book(changedMind, device, '10:00', '11:00').expect(201);
    await cancel(changedMind, first.body.id);
    const taken = await book(taker, device, '10:00', '11:00').expect(201);
    later(1);
    await wait(changedMind, device, '10:00', '11:00').expect(201);
    later(1);
    await cancel(taker, taken.body.id);
    expect(await liveBookings(changedMind, device)).toEqual([
      expect.objectContaining({ start: '2026-12-02T10:00:00-05:00' }),
    ]);
  });

  it('lets a patron wait for any allowed length, not just one slot, and books the whole of it once it is all free', async () => {
    const device = await newDevice(t, { policy: { slotMinutes: 30, minMinutes: 30 } });
    const [x, y, hour, longer] = [
      await newPatron(t),
      await newPatron(t),
      await newPatron(t),
      await newPatron(t),
    ];
    const early = await book(x, device, '10:00', '10:30').expect(201);
    const late = await book(y, device, '10:30', '11:00').expect(201);
    await wait(hour, device, '10:00', '11:00').expect(201);
    await wait(longer, device, '10:30', '12:00').expect(201);

    await cancel(x, early.body.id);
    // Half the hour is free; the other half is still Y's: nobody is booked, nobody loses a place.
    expect(await entries(hour)).toEqual([
      expect.objectContaining({ status: 'waiting', position: 1 }),
    ]);
    expect(await liveBookings(hour, device)).toEqual([]);

    await cancel(y, late.body.id);
    expect(await liveBookings(hour, device)).toEqual([
      expect.objectContaining({
        start: '2026-12-02T10:00:00-05:00',
        end: '2026-12-02T11:00:00-05:00',
      }),
    ]);
    expect(await entries(longer)).toEqual([
      expect.objectContaining({ status: 'waiting', position: 1 }),
    ]);
  });

  it('does not offer a patron on the device page to wait for their own booking', async () => {
    const device = await newDevice(t);
    const [patron, other] = [await newPatron(t), await newPatron(t)];
    await book(patron, device, '10:00', '11:00').expect(201);
    await book(other, device, '11:00', '12:00').expect(201);
    const page = await t.http
      .get(`/equipment/${device}?date=2026-12-02`)
      .set('Cookie', `dml_session=${patron.token}`)
      .expect(200);
    const offered = [
      ...page.text.matchAll(/value="([^"]+)">[^<]*<span class="visually-hidden"> is taken/g),
    ].map((m) => m[1]);
    expect(offered).toEqual([
      new Date(local('2026-12-02T11:00')).toISOString(),
      new Date(local('2026-12-02T11:30')).toISOString(),
    ]);
  });

  it('joins the waiting list from the device page for the length chosen, at least the shortest allowed', async () => {
    const device = await newDevice(t, { policy: { slotMinutes: 30, minMinutes: 60 } });
    const [holder, patron] = [await newPatron(t), await newPatron(t)];
    await book(holder, device, '10:00', '12:00').expect(201);
    const cookie = `dml_session=${patron.token}; ${CSRF_COOKIE}=unused`;
    const page = await t.http
      .get(`/equipment/${device}?date=2026-12-02`)
      .set('Cookie', cookie)
      .expect(200);
    expect(page.text).toContain('join the waiting list');
    const post = (fields: Record<string, string>) =>
      t.http
        .post(`/equipment/${device}/waitlist`)
        .set('Cookie', cookie)
        .type('form')
        .send({ ...fields, date: '2026-12-02', _csrf: csrfTokenFor(patron.token) })
        .expect(303);
    await post({ start: local('2026-12-02T10:00') });
    await post({ start: local('2026-12-02T11:00'), minutes: '90' });
    expect((await entries(patron)).map((e) => [e.start, e.end])).toEqual([
      ['2026-12-02T10:00:00-05:00', '2026-12-02T11:00:00-05:00'],
      ['2026-12-02T11:00:00-05:00', '2026-12-02T12:30:00-05:00'],
    ]);
  });
});
