import { DataSource } from 'typeorm';
import { CatalogCache } from '../src/database/catalog-version';
import { LISTENER_NAME } from '../src/database/catalog-listener';
import { createTestApp, ON_POSTGRES, TestApp } from './create-test-app';
import { bearer, eventually, local, newDevice, newPatron, signIn, TestPatron } from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';

/** A walkthrough's content: one step, for these devices. */
const walkthrough = (title: string, equipment: string[]) => ({
  title,
  summary: 'How to start the bench.',
  difficulty: 'easy',
  estimatedMinutes: [5, 10],
  equipment,
  bring: [],
  prerequisites: [],
  grantsCertification: false,
  introduction: 'Welcome.',
  steps: [{ title: 'Switch on', body: 'Press the power button.' }],
  conclusion: 'Switch off when done.',
});

/**
 * Each instance keeps the catalog, the hours and the outages in memory. A change made through
 * one instance must hold at once for bookings made through another, as behind a load balancer,
 * and for what the others offer as soon as they hear of it.
 */
describe('What an instance holds of the catalog', () => {
  let a: TestApp;
  let b: TestApp;
  let librarian: string;

  beforeAll(async () => {
    a = await createTestApp({ now: NOW });
    b = await a.secondInstance();
    librarian = await signIn(b, 'librarian');
  });
  beforeEach(() => a.clock.set(NOW));
  afterAll(() => a.close());

  const book = (t: TestApp, patron: TestPatron, device: string, start: string, end: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: local(start), end: local(end) });

  it('refuses a day another instance has just closed, and books it once reopened', async () => {
    const device = await newDevice(a);
    const patron = await newPatron(a);
    await book(a, patron, device, '2026-12-08T10:00', '2026-12-08T10:30').expect(201);
    await b.http
      .post('/api/closures')
      .set(bearer(librarian))
      .send({ date: '2026-12-08', reason: 'Staff training' })
      .expect(201);
    const refused = await book(a, patron, device, '2026-12-08T11:00', '2026-12-08T11:30');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('CLOSED');
    await b.http.delete('/api/closures/2026-12-08').set(bearer(librarian)).expect(204);
    await book(a, patron, device, '2026-12-08T11:00', '2026-12-08T11:30').expect(201);
  });

  it('judges by the policy another instance has just changed', async () => {
    const device = await newDevice(a);
    const patron = await newPatron(a);
    await book(a, patron, device, '2026-12-09T10:00', '2026-12-09T11:00').expect(201);
    await b.http
      .patch(`/api/equipment/${device}`)
      .set(bearer(librarian))
      .send({ policy: { maxMinutes: 30 } })
      .expect(200);
    const refused = await book(a, patron, device, '2026-12-09T12:00', '2026-12-09T13:00');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('TOO_LONG');
    await book(a, patron, device, '2026-12-09T12:00', '2026-12-09T12:30').expect(201);
  });

  it('keeps the buffer another instance has just set, though this one has not heard of it yet', async () => {
    const device = await newDevice(a);
    const patron = await newPatron(a);
    // A booking from 11:30; A reads the device as it is, with no buffer after a booking.
    await book(a, patron, device, '2026-12-09T11:30', '2026-12-09T12:30').expect(201);
    const db = a.app.get(DataSource);
    // On PostgreSQL the change is not announced, so A learns of it only under its lock.
    const announcing = (on: boolean) =>
      ON_POSTGRES
        ? db.query(`ALTER TABLE catalog_version ${on ? 'ENABLE' : 'DISABLE'} TRIGGER USER`)
        : Promise.resolve();
    await announcing(false);
    try {
      await b.http
        .patch(`/api/equipment/${device}`)
        .set(bearer(librarian))
        .send({ policy: { bufferMinutes: 30 } })
        .expect(200);
      // 10:30 to 11:30 now keeps the device until 12:00, into the booking from 11:30.
      const refused = await book(a, patron, device, '2026-12-09T10:30', '2026-12-09T11:30');
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('SLOT_TAKEN');
      // Found by the check before the write, which names the booking in the way.
      expect(refused.body.message).toMatch(/is already booked .*11:30/);
    } finally {
      await announcing(true);
    }
    await book(a, patron, device, '2026-12-09T10:00', '2026-12-09T11:00').expect(201);
  });

  it('refuses a time another instance has just put the device out of service', async () => {
    const device = await newDevice(a);
    const patron = await newPatron(a);
    await book(a, patron, device, '2026-12-10T10:00', '2026-12-10T10:30').expect(201);
    await b.http
      .post(`/api/equipment/${device}/outages`)
      .set(bearer(librarian))
      .send({
        start: local('2026-12-10T14:00'),
        end: local('2026-12-10T16:00'),
        reason: 'New drive being fitted',
      })
      .expect(201);
    const refused = await book(a, patron, device, '2026-12-10T15:00', '2026-12-10T15:30');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('EQUIPMENT_UNAVAILABLE');
    await book(a, patron, device, '2026-12-10T16:00', '2026-12-10T16:30').expect(201);
  });

  it('refuses a device another instance has just retired', async () => {
    const device = await newDevice(a);
    const patron = await newPatron(a);
    await book(a, patron, device, '2026-12-11T10:00', '2026-12-11T10:30').expect(201);
    await b.http
      .patch(`/api/equipment/${device}`)
      .set(bearer(librarian))
      .send({ status: 'out_of_service' })
      .expect(200);
    const refused = await book(a, patron, device, '2026-12-11T12:00', '2026-12-11T12:30');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('EQUIPMENT_UNAVAILABLE');
  });

  // Availability and "what's free" read through the same memory: what they offer must change
  // with another instance's change, or the page shows buttons that can only fail. On SQLite they
  // check the version on every read; on PostgreSQL they hear each new version announced as it
  // commits, a moment later (bookings above never wait for it: they read it under their lock).
  const heard = async (t: TestApp) => {
    const [{ version }] = await t.app
      .get(DataSource)
      .query<{ version: number | string }[]>('SELECT version FROM catalog_version WHERE id = 1');
    const cache = t.app.get(CatalogCache);
    for (let waited = 0; (cache.seen ?? 0) < Number(version) && cache.hears; waited += 10) {
      if (waited > 2_000) throw new Error(`version ${version} was not heard within 2 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const slotAt = async (t: TestApp, device: string, date: string, time: string) => {
    const day = await t.http.get(`/api/equipment/${device}/availability?date=${date}`).expect(200);
    const slots = day.body.slots as { start: string; available: boolean }[];
    return slots.find((s) => s.start === local(`${date}T${time}`));
  };
  const freeDevices = async (t: TestApp, start: string, end: string) => {
    const found = await t.http
      .get('/api/availability')
      .query({ start: local(start), end: local(end) })
      .expect(200);
    return (found.body as { slug: string }[]).map((d) => d.slug);
  };

  it('offers no time on a day another instance has just closed, and offers it again once reopened', async () => {
    const device = await newDevice(a);
    expect((await slotAt(a, device, '2026-12-15', '11:00'))?.available).toBe(true);
    expect(await freeDevices(a, '2026-12-15T11:00', '2026-12-15T11:30')).toContain(device);
    await b.http
      .post('/api/closures')
      .set(bearer(librarian))
      .send({ date: '2026-12-15', reason: 'Staff training' })
      .expect(201);
    await heard(a);
    expect(await slotAt(a, device, '2026-12-15', '11:00')).toBeUndefined();
    expect(await freeDevices(a, '2026-12-15T11:00', '2026-12-15T11:30')).not.toContain(device);
    await b.http.delete('/api/closures/2026-12-15').set(bearer(librarian)).expect(204);
    await heard(a);
    expect((await slotAt(a, device, '2026-12-15', '11:00'))?.available).toBe(true);
  });

  it('offers no time in an outage or on a device another instance has just taken out of service', async () => {
    const device = await newDevice(a);
    expect((await slotAt(a, device, '2026-12-14', '15:00'))?.available).toBe(true);
    await b.http
      .post(`/api/equipment/${device}/outages`)
      .set(bearer(librarian))
      .send({
        start: local('2026-12-14T14:00'),
        end: local('2026-12-14T16:00'),
        reason: 'New drive being fitted',
      })
      .expect(201);
    await heard(a);
    expect((await slotAt(a, device, '2026-12-14', '15:00'))?.available).toBe(false);
    expect((await slotAt(a, device, '2026-12-14', '16:00'))?.available).toBe(true);
    expect(await freeDevices(a, '2026-12-14T15:00', '2026-12-14T15:30')).not.toContain(device);
    await b.http
      .patch(`/api/equipment/${device}`)
      .set(bearer(librarian))
      .send({ status: 'out_of_service' })
      .expect(200);
    await heard(a);
    expect((await slotAt(a, device, '2026-12-14', '16:00'))?.available).toBe(false);
    expect(await freeDevices(a, '2026-12-14T16:00', '2026-12-14T16:30')).not.toContain(device);
  });

  it('lists a walkthrough another instance has just published for a device, and drops it once the walkthrough names other devices', async () => {
    const device = await newDevice(a);
    const other = await newDevice(a);
    const slug = `${device}-basics`;
    /** The titles of the device's walkthroughs as "what's free" and the device's own page list them. */
    const walkthroughs = async (t: TestApp) => {
      const found = await t.http
        .get('/api/availability')
        .query({ start: local('2026-12-10T14:00'), end: local('2026-12-10T14:30') })
        .expect(200);
      const listed = (found.body as { slug: string; manuals: { title: string }[] }[]).find(
        (d) => d.slug === device,
      );
      const page = await t.http.get(`/api/equipment/${device}`).expect(200);
      const titles = (page.body.manuals as { title: string }[]).map((m) => m.title);
      expect(listed?.manuals.map((m) => m.title)).toEqual(titles);
      return titles;
    };
    const publish = async (t: TestApp, title: string, equipment: string[]) => {
      await t.http
        .put(`/api/manuals/${slug}/draft`)
        .set(bearer(librarian))
        .send(walkthrough(title, equipment))
        .expect(200);
      await t.http.post(`/api/manuals/${slug}/publish`).set(bearer(librarian)).send({}).expect(200);
    };
    expect(await walkthroughs(a)).toEqual([]);
    await b.http
      .post('/api/manuals')
      .set(bearer(librarian))
      .send({ slug, ...walkthrough('Start the bench', [device]) })
      .expect(201);
    await publish(b, 'Start the bench', [device]);
    await eventually(async () => (await walkthroughs(a)).length > 0, 'the new walkthrough');
    expect(await walkthroughs(a)).toEqual(['Start the bench']);

    await publish(b, 'Start the bench, revised', [device]);
    await eventually(
      async () => (await walkthroughs(a))[0] !== 'Start the bench',
      'the revised title',
    );
    expect(await walkthroughs(a)).toEqual(['Start the bench, revised']);

    // The instance that made the change lists it at once.
    await publish(a, 'Start the other bench', [other]);
    expect(await walkthroughs(a)).toEqual([]);
    await eventually(async () => (await walkthroughs(b)).length === 0, 'the moved walkthrough');
  });

  const onPostgres = ON_POSTGRES ? it : it.skip;

  onPostgres('stays true when the connections that hear changes are cut', async () => {
    const device = await newDevice(a);
    expect((await slotAt(a, device, '2026-12-10', '11:00'))?.available).toBe(true);
    // A session A has read, and holds in memory while it hears of changes to sessions.
    const patron = await newPatron(a);
    await a.http.get('/api/me').set(bearer(patron.token)).expect(200);
    await a.http.get('/api/me').set(bearer(patron.token)).expect(200);
    // The walkthroughs A holds, none for this device.
    const titles = async () =>
      (
        (await a.http.get(`/api/equipment/${device}`).expect(200)).body.manuals as {
          title: string;
        }[]
      ).map((m) => m.title);
    expect(await titles()).toEqual([]);
    const db = a.app.get(DataSource);
    const listeners = () =>
      db.query<{ pid: number }[]>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
        [LISTENER_NAME],
      );
    const cut = await listeners();
    expect(cut).toHaveLength(2);
    await db.query('SELECT pg_terminate_backend(pid, 5000) FROM unnest($1::int[]) AS pid', [
      cut.map((l) => l.pid),
    ]);
    // Closed while no one hears: the instances must not go on offering the day.
    await b.http
      .post('/api/closures')
      .set(bearer(librarian))
      .send({ date: '2026-12-10', reason: 'Boiler repair' })
      .expect(201);
    expect(await slotAt(a, device, '2026-12-10', '11:00')).toBeUndefined();
    // Signed out while no one hears: A must not go on letting the session in.
    await b.http.post('/api/auth/logout').set(bearer(patron.token)).expect(204);
    await a.http.get('/api/me').set(bearer(patron.token)).expect(401);
    // A walkthrough published while no one hears: A must list it with the device.
    const slug = `${device}-unheard`;
    await b.http
      .post('/api/manuals')
      .set(bearer(librarian))
      .send({ slug, ...walkthrough('Start it unheard', [device]) })
      .expect(201);
    await b.http.post(`/api/manuals/${slug}/publish`).set(bearer(librarian)).send({}).expect(200);
    expect(await titles()).toEqual(['Start it unheard']);
    for (let waited = 0; (await listeners()).length < 2; waited += 50) {
      if (waited > 5_000) throw new Error('the instances did not listen again within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await b.http.delete('/api/closures/2026-12-10').set(bearer(librarian)).expect(204);
    await heard(a);
    expect((await slotAt(a, device, '2026-12-10', '11:00'))?.available).toBe(true);
  });
});
