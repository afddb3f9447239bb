import { createTestApp, TestApp } from './create-test-app';
import { bearer, newPatron, signIn } from './factories';

describe('Equipment catalog', () => {
  let t: TestApp;
  let librarian: string;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp();
    [librarian, staff] = [await signIn(t, 'librarian'), await signIn(t, 'staff')];
  });
  afterAll(() => t.close());

  const newDevice = (slug: string, overrides: Record<string, unknown> = {}) => ({
    slug,
    name: 'Vinyl transfer turntable',
    category: 'digitisation',
    kind: 'station',
    location: 'Digital Media Lab, bench C',
    description: 'Audio-Technica turntable into Audacity.',
    requiresOrientation: false,
    minAge: 12,
    ...overrides,
  });

  it('lists the seeded catalog: at least 20 devices, stations and loan kits', async () => {
    const response = await t.http.get('/api/equipment').expect(200);
    expect(response.body.length).toBeGreaterThanOrEqual(20);
    const kinds = new Set(response.body.map((d: { kind: string }) => d.kind));
    expect(kinds).toEqual(new Set(['station', 'loan']));
    const studio = response.body.find((d: { slug: string }) => d.slug === 'podcast-studio');
    expect(studio).toMatchObject({
      kind: 'station',
      requiresOrientation: true,
      status: 'available',
      manuals: expect.any(Array),
    });
    expect(Object.keys(studio.policy).sort()).toEqual([
      'bufferMinutes',
      'maxActivePerPatron',
      'maxAdvanceDays',
      'maxMinutes',
      'maxMinutesPerWeek',
      'minMinutes',
      'minNoticeMinutes',
      'slotMinutes',
    ]);
  });

  it('filters by category and by words in the name or description', async () => {
    const audio = await t.http
      .get('/api/equipment')
      .query({ category: 'digitisation' })
      .expect(200);
    expect(audio.body.length).toBeGreaterThan(0);
    expect(audio.body.every((d: { category: string }) => d.category === 'digitisation')).toBe(true);
    const vhs = await t.http.get('/api/equipment').query({ q: 'vhs' }).expect(200);
    expect(vhs.body.map((d: { slug: string }) => d.slug)).toContain('vhs-transfer-station');
    const nothing = await t.http.get('/api/equipment').query({ q: 'zeppelin%' }).expect(200);
    expect(nothing.body).toEqual([]);
    await t.http.get('/api/equipment').query({ kind: 'spaceship' }).expect(400);
  });

  it('looks a device up by slug and answers 404 for an unknown one', async () => {
    const device = await t.http.get('/api/equipment/podcast-studio').expect(200);
    expect(device.body.slug).toBe('podcast-studio');
    const missing = await t.http.get('/api/equipment/time-machine').expect(404);
    expect(missing.body).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      message: expect.stringMatching(/time-machine/),
    });
  });

  it('lets a librarian add a device, which inherits its category policy', async () => {
    const created = await t.http
      .post('/api/equipment')
      .set(bearer(librarian))
      .send(newDevice('turntable-2', { policy: { maxMinutes: 180 } }))
      .expect(201);
    expect(created.body).toMatchObject({
      slug: 'turntable-2',
      status: 'available',
      policy: expect.objectContaining({ maxMinutes: 180 }),
    });
    const category = await t.http
      .get('/api/equipment')
      .query({ category: 'digitisation' })
      .expect(200);
    expect(category.body.map((d: { slug: string }) => d.slug)).toContain('turntable-2');
  });

  it('refuses a duplicate slug with 409', async () => {
    await t.http
      .post('/api/equipment')
      .set(bearer(librarian))
      .send(newDevice('turntable-dup'))
      .expect(201);
    await t.http
      .post('/api/equipment')
      .set(bearer(librarian))
      .send(newDevice('turntable-dup'))
      .expect(409);
  });

  it.each([
    [{ slug: 'Bad Slug' }, /slug/],
    [{ kind: 'spaceship' }, /kind/],
    [{ category: 'nowhere' }, /category must be one of/],
    [{ minAge: -1 }, /minAge/],
    [
      { policy: { slotMinutes: 30, minMinutes: 45 } },
      /policy.minMinutes must be a multiple of policy.slotMinutes/,
    ],
    [{ policy: { minMinutes: 240, maxMinutes: 60 } }, /minMinutes must not exceed/],
    [{ policy: { slotMinutes: 'ten' } }, /slotMinutes/],
    [{ policy: 'open' }, /policy/],
    [{ parts: 'camera' }, /parts/],
    [{ surprise: true }, /property surprise should not exist/],
  ])('rejects a device with %p, naming the field', async (overrides, message) => {
    const response = await t.http
      .post('/api/equipment')
      .set(bearer(librarian))
      .send(newDevice('turntable-bad', overrides))
      .expect(400);
    expect(response.body.message).toMatch(message);
  });

  it('edits a device, and can take it out of service', async () => {
    await t.http
      .post('/api/equipment')
      .set(bearer(librarian))
      .send(newDevice('turntable-edit'))
      .expect(201);
    const edited = await t.http
      .patch('/api/equipment/turntable-edit')
      .set(bearer(librarian))
      .send({ name: 'Turntable (Rega)', status: 'out_of_service', policy: { bufferMinutes: 10 } })
      .expect(200);
    expect(edited.body).toMatchObject({
      name: 'Turntable (Rega)',
      status: 'out_of_service',
      policy: expect.objectContaining({ bufferMinutes: 10 }),
    });
    const bad = await t.http
      .patch('/api/equipment/turntable-edit')
      .set(bearer(librarian))
      .send({ slug: 'renamed' })
      .expect(400);
    expect(bad.body.message).toMatch(/slug should not exist/);
    await t.http
      .patch('/api/equipment/turntable-edit')
      .set(bearer(librarian))
      .send({ status: 'retired' })
      .expect(400);
  });

  it('retires a device instead of deleting it: gone from the list, still on record', async () => {
    await t.http
      .post('/api/equipment')
      .set(bearer(librarian))
      .send(newDevice('turntable-old'))
      .expect(201);
    const retired = await t.http
      .delete('/api/equipment/turntable-old')
      .set(bearer(librarian))
      .expect(200);
    expect(retired.body).toMatchObject({
      status: 'retired',
      retiredAt: expect.stringMatching(/-05:00$/),
    });
    const list = await t.http.get('/api/equipment').expect(200);
    expect(list.body.map((d: { slug: string }) => d.slug)).not.toContain('turntable-old');
    const history = await t.http
      .get('/api/equipment')
      .query({ includeRetired: 'true' })
      .expect(200);
    expect(history.body.map((d: { slug: string }) => d.slug)).toContain('turntable-old');
    await t.http.get('/api/equipment/turntable-old').expect(200);
    await t.http
      .patch('/api/equipment/turntable-old')
      .set(bearer(librarian))
      .send({ name: 'Back' })
      .expect(409);
  });

  it('keeps changes to librarians: 401 anonymous, 403 for staff and patrons', async () => {
    const patron = await newPatron(t);
    await t.http.post('/api/equipment').send(newDevice('nope')).expect(401);
    await t.http.post('/api/equipment').set(bearer(staff)).send(newDevice('nope')).expect(403);
    await t.http
      .post('/api/equipment')
      .set(bearer(patron.token))
      .send(newDevice('nope'))
      .expect(403);
    await t.http
      .patch('/api/equipment/podcast-studio')
      .set(bearer(staff))
      .send({ name: 'x' })
      .expect(403);
    await t.http.delete('/api/equipment/podcast-studio').set(bearer(patron.token)).expect(403);
    await t.http.delete('/api/equipment/podcast-studio').expect(401);
  });
});
