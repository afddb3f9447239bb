import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn, type TestPatron } from './factories';

describe('Patron groups', () => {
  let t: TestApp;
  let staff: string;
  let librarian: string;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await signIn(t, 'staff');
    librarian = await signIn(t, 'librarian');
  });
  afterAll(() => t.close());

  const me = async (patron: TestPatron) =>
    (await t.http.get('/api/me').set(bearer(patron.token)).expect(200)).body as { group: string };
  const setGroup = (patron: TestPatron, group: unknown, token = staff) =>
    t.http.patch(`/api/patrons/${patron.cardNumber}`).set(bearer(token)).send({ group });
  const book = (token: string, equipment: string, hour: string, cardNumber?: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(token))
      .send({
        equipment,
        start: local(`2026-12-02T${hour}:00`),
        end: local(`2026-12-02T${hour}:30`),
        ...(cardNumber ? { cardNumber } : {}),
      });
  /** A device only the listed groups may book. */
  const groupDevice = async (groups: string[]) => {
    const slug = await newDevice(t);
    const changed = await t.http
      .patch(`/api/equipment/${slug}`)
      .set(bearer(librarian))
      .send({ policy: { groups } })
      .expect(200);
    return { slug, policy: changed.body.policy as { groups?: string[] } };
  };

  it('puts local patrons in a group by age: adult, teen from 12 to 17, child under 12', async () => {
    const adult = await newPatron(t, { birthDate: '1990-01-01' });
    const teen = await newPatron(t, { birthDate: '2014-12-01' });
    const child = await newPatron(t, { birthDate: '2014-12-02' });
    expect((await me(adult)).group).toBe('adult');
    expect((await me(teen)).group).toBe('teen');
    expect((await me(child)).group).toBe('child');
  });

  it('lets staff set a patron’s group and put them back to their age, and audits it', async () => {
    const patron = await newPatron(t, { birthDate: '2016-05-05' });
    const set = await setGroup(patron, '  Makers Club ').expect(200);
    expect(set.body).toMatchObject({ cardNumber: patron.cardNumber, group: 'makers club' });
    expect((await me(patron)).group).toBe('makers club');
    const looked = await t.http
      .get(`/api/patrons?card=${patron.cardNumber}`)
      .set(bearer(staff))
      .expect(200);
    expect(looked.body[0]).toMatchObject({ group: 'makers club' });
    await setGroup(patron, null).expect(200);
    expect((await me(patron)).group).toBe('child');
    const audit = await t.http
      .get(`/api/audit?subject=${patron.cardNumber}&action=patron.group_changed`)
      .set(bearer(librarian))
      .expect(200);
    // Both changes carry the same instant (the test clock stands still), so in either order.
    expect(audit.body.map((e: { details: unknown }) => e.details)).toEqual(
      expect.arrayContaining([
        { from: 'makers club', to: 'child' },
        { from: 'child', to: 'makers club' },
      ]),
    );
    expect(audit.body).toHaveLength(2);
  });

  it.each([
    ['a bar', 'a|b'],
    ['a number', 42],
    ['nothing', ''],
    ['too long a name', 'x'.repeat(41)],
  ])('refuses %s as a group, naming the field', async (_, group) => {
    const patron = await newPatron(t);
    const refused = await setGroup(patron, group).expect(400);
    expect(refused.body.message).toMatch(/^group /);
  });

  it('keeps the group change to staff', async () => {
    const patron = await newPatron(t);
    await setGroup(patron, 'adult', patron.token).expect(403);
    await t.http.patch('/api/patrons/0000000').set(bearer(staff)).send({ group: 'x' }).expect(404);
  });

  it('refuses a booking by a patron outside the device’s groups, and says why on availability', async () => {
    const { slug, policy } = await groupDevice(['Teen', 'adult']);
    expect(policy.groups).toEqual(['teen', 'adult']);
    const child = await newPatron(t, { birthDate: '2018-03-03' });
    const adult = await newPatron(t);
    const refused = await book(child.token, slug, '11').expect(422);
    expect(refused.body).toMatchObject({ code: 'GROUP_RESTRICTED' });
    expect(refused.body.message).toMatch(/“teen” or “adult” groups only/);
    expect(refused.body.message).toMatch(/“child” group/);
    const day = await t.http
      .get(`/api/equipment/${slug}/availability?date=2026-12-02`)
      .set(bearer(child.token))
      .expect(200);
    expect(day.body).toMatchObject({ bookable: false, reason: { code: 'GROUP_RESTRICTED' } });
    const anyone = await t.http.get(`/api/equipment/${slug}/availability?date=2026-12-02`);
    expect(anyone.body.bookable).toBe(true);
    const page = await t.http.get(`/equipment/${slug}`).expect(200);
    expect(page.text).toContain('For patrons in the teen, adult groups only.');
    const onBehalf = await book(staff, slug, '12', child.cardNumber).expect(422);
    expect(onBehalf.body.code).toBe('GROUP_RESTRICTED');
    await book(adult.token, slug, '11').expect(201);
    await setGroup(child, 'teen').expect(200);
    await book(child.token, slug, '13').expect(201);
  });

  it('lifts the restriction when the device’s list is emptied', async () => {
    const { slug } = await groupDevice(['adult']);
    const child = await newPatron(t, { birthDate: '2018-03-03' });
    await book(child.token, slug, '11').expect(422);
    const cleared = await t.http
      .patch(`/api/equipment/${slug}`)
      .set(bearer(librarian))
      .send({ policy: { groups: [] } })
      .expect(200);
    expect(cleared.body.policy.groups).toBeUndefined();
    await book(child.token, slug, '11').expect(201);
  });

  it('refuses a malformed group list on a device, naming the field', async () => {
    const slug = await newDevice(t);
    const refused = await t.http
      .patch(`/api/equipment/${slug}`)
      .set(bearer(librarian))
      .send({ policy: { groups: 'adult' } })
      .expect(400);
    expect(refused.body.message).toMatch(/policy.groups/);
  });

  it('counts bookings per patron group in the usage report, JSON and CSV', async () => {
    const slug = await newDevice(t);
    const [a, b, c] = await Promise.all([newPatron(t), newPatron(t), newPatron(t)]);
    for (const p of [a, b]) await setGroup(p, 'report readers').expect(200);
    await book(a.token, slug, '10').expect(201);
    await book(a.token, slug, '14').expect(201);
    await book(b.token, slug, '15').expect(201);
    await book(c.token, slug, '16').expect(201);
    const report = await t.http
      .get('/api/reports/usage?from=2026-12-02&to=2026-12-02')
      .set(bearer(staff))
      .expect(200);
    const readers = report.body.groups.find((g: { group: string }) => g.group === 'report readers');
    expect(readers).toEqual({
      group: 'report readers',
      bookings: 3,
      hoursBooked: 1.5,
      noShows: 0,
      cancellations: 0,
      uniquePatrons: 2,
    });
    expect(report.body.groups.some((g: { group: string }) => g.group === 'adult')).toBe(true);
    const csv = await t.http
      .get('/api/reports/usage?from=2026-12-02&to=2026-12-02&format=csv')
      .set(bearer(staff))
      .expect(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      'level,slug,name,category,bookings,hoursBooked,hoursOpen,utilisation,noShows,cancellations,uniquePatrons,loans,overdueDays',
    );
    expect(lines).toContain('group,report readers,report readers,,3,1.5,,,0,0,2,,');
  });
});

describe('The patron groups migration', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reverts and applies again, keeping the patrons and their age groups', async () => {
    const staff = await signIn(t, 'staff');
    const teen = await newPatron(t, { birthDate: '2012-01-01' });
    await t.http
      .patch(`/api/patrons/${teen.cardNumber}`)
      .set(bearer(staff))
      .send({ group: 'makers' })
      .expect(200);
    const data = t.app.get(DataSource);
    const columns = async () =>
      (await data.createQueryRunner().getTable('users'))!.columns.map((c) => c.name);
    const applied = async () =>
      (await data.query<{ name: string }[]>('SELECT name FROM migrations')).map((m) => m.name);
    while ((await applied()).includes('PatronGroups1765100000000'))
      await data.undoLastMigration({ transaction: 'each' });
    expect(await columns()).not.toContain('patron_group');
    await data.runMigrations({ transaction: 'each' });
    expect(await columns()).toContain('patron_group');
    const me = await t.http.get('/api/me').set(bearer(teen.token)).expect(200);
    expect(me.body).toMatchObject({ cardNumber: teen.cardNumber, group: 'teen' });
  });
});
