import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron } from './factories';

describe('The images migration', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-12-01T14:00:00Z' });
  });
  afterAll(() => t.close());

  it('reverts and applies again on a database with devices and bookings, losing nothing', async () => {
    const patron = await newPatron(t);
    const device = await newDevice(t);
    const booking = {
      equipment: device,
      start: local('2026-12-02T15:00'),
      end: local('2026-12-02T16:00'),
    };
    await t.http.post('/api/bookings').set(bearer(patron.token)).send(booking).expect(201);
    const before = (await t.http.get('/api/equipment?includeRetired=true').expect(200)).body;
    const data = t.app.get(DataSource);
    const columns = async () =>
      (await data.createQueryRunner().getTable('equipment'))!.columns.map((c) => c.name);

    // Later migrations are undone first, down to and including this one.
    const applied = async () =>
      (await data.query<{ name: string }[]>('SELECT name FROM migrations')).map((m) => m.name);
    while ((await applied()).includes('Images1764850000000'))
      await data.undoLastMigration({ transaction: 'each' });
    expect(await columns()).not.toContain('photo_src');
    await data.runMigrations({ transaction: 'each' });
    expect(await columns()).toEqual(expect.arrayContaining(['photo_src', 'photo_alt']));

    // Undoing the later areas migration forgets which area each device was in (the Teen Room
    // itself comes from the seeds), so the devices are compared with their area left aside.
    const withoutArea = (devices: { area?: string }[]) =>
      devices.map(({ area: _area, ...rest }) => rest);
    const after = (await t.http.get('/api/equipment?includeRetired=true').expect(200)).body;
    expect(withoutArea(after)).toEqual(withoutArea(before));
    // The rebuilt table still anchors the bookings and their no-overlap rule.
    await t.http.post('/api/bookings').set(bearer(patron.token)).send(booking).expect(409);
  });
});
