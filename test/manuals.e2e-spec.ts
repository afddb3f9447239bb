import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualsImporter } from '../src/manuals/manuals-importer.service';
import { createTestApp, TestApp } from './create-test-app';
import {
  bearer,
  finishWalkthrough,
  local,
  newDevice,
  newPatron,
  publishUsageChange,
  signIn,
} from './factories';
import { looksDangerous, XSS_PAYLOADS } from './xss-payloads';

const content = (overrides: Record<string, unknown> = {}) => ({
  title: 'Use the test bench',
  summary: 'Everything about the bench.',
  difficulty: 'easy',
  estimatedMinutes: [10, 20],
  equipment: [],
  bring: ['A USB drive'],
  prerequisites: [],
  grantsCertification: false,
  introduction: 'Welcome to the bench.',
  steps: [
    { title: 'Switch on', body: 'Press the **power** button.' },
    { title: 'Record', body: '> **Caution:** Mind the cable.\n\nPress record.' },
  ],
  conclusion: 'Switch off when done.',
  ...overrides,
});

/** Records the steps of a walkthrough in turn, as the step-by-step page does: by default all. */
const finish = finishWalkthrough;

describe('Manuals', () => {
  let t: TestApp;
  let librarian: string;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-12-01T14:00:00Z' });
    [librarian, staff] = [await signIn(t, 'librarian'), await signIn(t, 'staff')];
  });
  afterAll(() => t.close());

  it('imports the walkthroughs on first start: at least 15, one for every device that needs orientation', async () => {
    const manuals = await t.http.get('/api/manuals').expect(200);
    expect(manuals.body.length).toBeGreaterThanOrEqual(15);
    const covered = new Set(manuals.body.flatMap((m: { equipment: string[] }) => m.equipment));
    const devices = await t.http.get('/api/equipment').expect(200);
    const needing = devices.body.filter(
      (d: { requiresOrientation: boolean }) => d.requiresOrientation,
    );
    expect(needing.length).toBeGreaterThan(0);
    for (const device of needing) expect(covered).toContain(device.slug);
    for (const device of devices.body) expect(device.manuals.length).toBeGreaterThan(0);
    const studio = devices.body.find((d: { slug: string }) => d.slug === 'podcast-studio');
    expect(studio.manuals).toEqual([{ slug: 'podcast-studio-basics', title: expect.any(String) }]);
  });

  it('serves a walkthrough step by step, rendered, with callouts', async () => {
    const manual = await t.http.get('/api/manuals/podcast-studio-basics').expect(200);
    expect(manual.body).toMatchObject({
      slug: 'podcast-studio-basics',
      revision: 1,
      equipment: ['podcast-studio'],
      url: 'http://localhost:3000/manuals/podcast-studio-basics',
    });
    expect(manual.body.steps.length).toBeGreaterThanOrEqual(5);
    expect(manual.body.steps[0]).toMatchObject({
      number: 1,
      title: expect.any(String),
      body: expect.any(String),
      html: expect.stringContaining('<'),
    });
    expect(
      manual.body.steps.some((s: { html: string }) => s.html.includes('class="callout callout-')),
    ).toBe(true);
    await t.http.get('/api/manuals/no-such-manual').expect(404);
  });

  it('finds walkthroughs by words in titles and steps, best match first', async () => {
    const vhs = await t.http.get('/api/manuals').query({ q: 'VHS' }).expect(200);
    expect(vhs.body[0].slug).toBe('vhs-to-digital');
    const steps = await t.http.get('/api/manuals').query({ q: 'filament' }).expect(200);
    expect(steps.body.map((m: { slug: string }) => m.slug)).toContain('3d-printing-basics');
    const prefix = await t.http.get('/api/manuals').query({ q: 'embroid' }).expect(200);
    expect(prefix.body.map((m: { slug: string }) => m.slug)).toContain('embroidery-machine-basics');
    const nothing = await t.http.get('/api/manuals').query({ q: 'zeppelin' }).expect(200);
    expect(nothing.body).toEqual([]);
    const symbols = await t.http.get('/api/manuals').query({ q: '"*) OR ( NEAR' }).expect(200);
    expect(Array.isArray(symbols.body)).toBe(true);
  });

  it('serves a QR code of the public page as SVG', async () => {
    const qr = await t.http.get('/api/manuals/vhs-to-digital/qr.svg').expect(200);
    expect(qr.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = Buffer.isBuffer(qr.body) ? qr.body.toString('utf8') : qr.text;
    expect(svg).toMatch(/^<svg[^>]*viewBox/);
    expect(svg).toContain('<path');
  });

  it('lets the desk e-mail a walkthrough link to a patron', async () => {
    const patron = await newPatron(t);
    const sent = await t.http
      .post('/api/manuals/vhs-to-digital/send')
      .set(bearer(staff))
      .send({ cardNumber: patron.cardNumber })
      .expect(200);
    expect(sent.body).toEqual({
      sentTo: `p${patron.cardNumber}@example.org`,
      url: 'http://localhost:3000/manuals/vhs-to-digital',
    });
    const mails = await t.mailbox();
    const mail = mails.find(
      (m) => m.subject?.startsWith('Your walkthrough') && m.text?.includes(patron.cardNumber),
    );
    expect(mail?.text).toContain(
      'Open it on your phone or computer: http://localhost:3000/manuals/vhs-to-digital',
    );
    await t.http
      .post('/api/manuals/vhs-to-digital/send')
      .set(bearer(staff))
      .send({ cardNumber: '99999999999999' })
      .expect(404);
    await t.http
      .post('/api/manuals/vhs-to-digital/send')
      .set(bearer(staff))
      .send({ cardNumber: 'x' })
      .expect(400);
    await t.http
      .post('/api/manuals/vhs-to-digital/send')
      .set(bearer(patron.token))
      .send({ cardNumber: patron.cardNumber })
      .expect(403);
  });

  it('lets a librarian draft, publish, see history and diffs, and restore; a restore publishes as a new revision', async () => {
    const device = await newDevice(t);
    const created = await t.http
      .post('/api/manuals')
      .set(bearer(librarian))
      .send({ slug: 'test-bench', ...content({ equipment: [device] }) })
      .expect(201);
    expect(created.body).toMatchObject({ isDraft: true, publishedRevision: null });
    await t.http.get('/api/manuals/test-bench').expect(404);
    const first = await t.http
      .post('/api/manuals/test-bench/publish')
      .set(bearer(librarian))
      .send({ note: 'First version' })
      .expect(200);
    expect(first.body).toMatchObject({ revision: 1, title: 'Use the test bench' });
    await t.http
      .post('/api/manuals/test-bench/publish')
      .set(bearer(librarian))
      .send({})
      .expect(409);

    await t.http
      .put('/api/manuals/test-bench/draft')
      .set(bearer(librarian))
      .send(content({ equipment: [device], title: 'Use the bench, v2' }))
      .expect(200);
    const unchanged = await t.http.get('/api/manuals/test-bench').expect(200);
    expect(unchanged.body.title).toBe('Use the test bench');
    await t.http
      .post('/api/manuals/test-bench/publish')
      .set(bearer(librarian))
      .send({ changesUsage: true })
      .expect(200);
    expect((await t.http.get('/api/manuals/test-bench').expect(200)).body).toMatchObject({
      revision: 2,
      title: 'Use the bench, v2',
    });

    const history = await t.http
      .get('/api/manuals/test-bench/revisions')
      .set(bearer(librarian))
      .expect(200);
    expect(
      history.body.map((r: { number: number; author: string; published: boolean }) => [
        r.number,
        r.author,
        r.published,
      ]),
    ).toEqual([
      [2, 'Lena Librarian', true],
      [1, 'Lena Librarian', false],
    ]);
    expect(history.body[0].changesUsage).toBe(true);
    const diff = await t.http
      .get('/api/manuals/test-bench/diff')
      .query({ from: 1, to: 2 })
      .set(bearer(librarian))
      .expect(200);
    expect(diff.body.changes).toEqual(
      expect.arrayContaining([
        { type: 'removed', lines: ['title: Use the test bench'] },
        { type: 'added', lines: ['title: Use the bench, v2'] },
      ]),
    );
    expect(diff.body.unified).toContain('-title: Use the test bench\n+title: Use the bench, v2');
    await t.http
      .get('/api/manuals/test-bench/diff')
      .query({ from: 1, to: 7 })
      .set(bearer(librarian))
      .expect(404);
    await t.http
      .get('/api/manuals/test-bench/diff')
      .query({ from: 'one', to: 2 })
      .set(bearer(librarian))
      .expect(400);
    await t.http
      .get('/api/manuals/test-bench/diff')
      .query({ from: 1, to: 2 })
      .set(bearer(staff))
      .expect(403);
    const restored = await t.http
      .post('/api/manuals/test-bench/revisions/1/restore')
      .set(bearer(librarian))
      .expect(200);
    expect(restored.body).toMatchObject({
      isDraft: true,
      content: { title: 'Use the test bench' },
    });
    await t.http
      .post('/api/manuals/test-bench/publish')
      .set(bearer(librarian))
      .send({})
      .expect(200);
    expect((await t.http.get('/api/manuals/test-bench').expect(200)).body).toMatchObject({
      revision: 3,
      title: 'Use the test bench',
    });
    await t.http
      .post('/api/manuals/test-bench/revisions/9/restore')
      .set(bearer(librarian))
      .expect(404);
    const deviceLinks = await t.http.get(`/api/equipment/${device}`).expect(200);
    expect(deviceLinks.body.manuals).toEqual([{ slug: 'test-bench', title: 'Use the test bench' }]);
  });

  it('keeps editing to librarians', async () => {
    const patron = await newPatron(t);
    await t.http
      .post('/api/manuals')
      .send({ slug: 'nope', ...content() })
      .expect(401);
    await t.http
      .post('/api/manuals')
      .set(bearer(staff))
      .send({ slug: 'nope', ...content() })
      .expect(403);
    await t.http
      .put('/api/manuals/vhs-to-digital/draft')
      .set(bearer(patron.token))
      .send(content())
      .expect(403);
    await t.http
      .post('/api/manuals/vhs-to-digital/publish')
      .set(bearer(staff))
      .send({})
      .expect(403);
    await t.http.get('/api/manuals/vhs-to-digital/revisions').set(bearer(patron.token)).expect(403);
  });

  it.each([
    [{ difficulty: 'impossible' }, /difficulty/],
    [{ estimatedMinutes: [30, 10] }, /estimatedMinutes/],
    [{ steps: [] }, /steps/],
    [{ equipment: ['no-such-device'] }, /unknown devices: no-such-device/],
    [{ prerequisites: ['no-such-manual'] }, /unknown walkthroughs: no-such-manual/],
    [{ steps: [{ title: 'x' }] }, /body/],
  ])('refuses a draft with %p, naming the field', async (overrides, message) => {
    const response = await t.http
      .post('/api/manuals')
      .set(bearer(librarian))
      .send({ slug: 'bad-manual', ...content(overrides) })
      .expect(400);
    expect(response.body.message).toMatch(message);
  });

  it('renders a manual full of XSS payloads inert', async () => {
    const steps = XSS_PAYLOADS.map((payload, i) => ({
      // Titles are one line: control characters (a tab in one payload) are refused there.
      title: `Step ${i} ${payload}`.replace(/\p{Cc}/gu, ' ').slice(0, 200),
      body: `${payload}\n\n![${payload}](https://example.org/${encodeURIComponent(payload)}.png)`,
    }));
    await t.http
      .post('/api/manuals')
      .set(bearer(librarian))
      .send({
        slug: 'hostile',
        ...content({
          title: XSS_PAYLOADS[0],
          summary: XSS_PAYLOADS[2],
          introduction: XSS_PAYLOADS.join('\n\n'),
          steps: steps.slice(0, 30),
        }),
      })
      .expect(201);
    await t.http.post('/api/manuals/hostile/publish').set(bearer(librarian)).send({}).expect(200);
    const manual = await t.http.get('/api/manuals/hostile').expect(200);
    expect(looksDangerous(manual.body.introductionHtml)).toBe(false);
    for (const step of manual.body.steps) expect(looksDangerous(step.html)).toBe(false);
  });

  it('certifies a patron who finishes a certifying walkthrough, which unblocks booking', async () => {
    const patron = await newPatron(t);
    const book = () =>
      t.http
        .post('/api/bookings')
        .set(bearer(patron.token))
        .send({
          equipment: 'podcast-studio',
          start: local('2026-12-02T15:00'),
          end: local('2026-12-02T16:00'),
        });
    expect((await book().expect(422)).body.code).toBe('ORIENTATION_REQUIRED');
    const manual = await t.http.get('/api/manuals/podcast-studio-basics').expect(200);
    const last = manual.body.steps.length;
    await finish(t, patron.token, 'lab-orientation');
    await t.http
      .post('/api/manuals/podcast-studio-basics/progress')
      .set(bearer(patron.token))
      .send({ step: 1 })
      .expect(200);
    const partway = await t.http
      .post('/api/manuals/podcast-studio-basics/progress')
      .set(bearer(patron.token))
      .send({ step: 2 })
      .expect(200);
    expect(partway.body).toEqual({ step: 2, steps: last, completed: false, certified: [] });
    await t.http
      .post('/api/manuals/podcast-studio-basics/progress')
      .set(bearer(patron.token))
      .send({ step: last + 1 })
      .expect(400);
    await t.http
      .post('/api/manuals/podcast-studio-basics/progress')
      .set(bearer(staff))
      .send({ step: 1 })
      .expect(403);
    await finish(t, patron.token, 'podcast-studio-basics', 3, last - 1);
    const done = await t.http
      .post('/api/manuals/podcast-studio-basics/progress')
      .set(bearer(patron.token))
      .send({ step: last })
      .expect(200);
    expect(done.body).toEqual({
      step: last,
      steps: last,
      completed: true,
      certified: ['podcast-studio'],
    });
    await book().expect(201);
    const me = await t.http.get('/api/me').set(bearer(patron.token)).expect(200);
    expect(me.body.certifications).toEqual([
      expect.objectContaining({ equipment: 'podcast-studio', grantedBy: null }),
    ]);
  });

  it('asks certified patrons to re-read a walkthrough revised in a way that changes use', async () => {
    const patron = await newPatron(t);
    const slug = 'green-screen-video';
    await finish(t, patron.token, 'lab-orientation');
    await finish(t, patron.token, slug);
    const book = (day: string) =>
      t.http
        .post('/api/bookings')
        .set(bearer(patron.token))
        .send({
          equipment: 'green-screen-studio',
          start: local(`${day}T15:00`),
          end: local(`${day}T16:00`),
        });
    const before = await book('2026-12-02').expect(201);
    // The studio allows one upcoming booking at a time: free it for the second attempt.
    await t.http
      .post(`/api/bookings/${before.body.id}/cancel`)
      .set(bearer(patron.token))
      .expect(200);

    t.clock.advance(60);
    await publishUsageChange(
      t,
      librarian,
      slug,
      {
        title: 'Switch off the lights',
        body: 'The LED panels now stay on a timer: press **Off** on each.',
      },
      'Lights on a timer',
    );

    const refused = await book('2026-12-03').expect(422);
    expect(refused.body).toMatchObject({
      code: 'ORIENTATION_REQUIRED',
      message: expect.stringMatching(/has changed.*green-screen-video/),
    });
    // The patron's availability says the same before they book, and clears once they have read it.
    const threeOClock = async () => {
      const day = await t.http
        .get('/api/equipment/green-screen-studio/availability?date=2026-12-03')
        .set(bearer(patron.token))
        .expect(200);
      return day.body.slots.find((s: { start: string }) => s.start === local('2026-12-03T15:00'));
    };
    expect(await threeOClock()).toMatchObject({
      available: false,
      reason: { code: 'ORIENTATION_REQUIRED', message: expect.stringMatching(/has changed/) },
    });
    await finish(t, patron.token, slug);
    expect(await threeOClock()).toMatchObject({ available: true });
    await book('2026-12-03').expect(201);
    t.clock.set('2026-12-01T14:00:00Z');
  });

  it('does not certify for walkthroughs of devices that need staff in person', async () => {
    const patron = await newPatron(t);
    const manual = await t.http.get('/api/manuals/3d-printing-basics').expect(200);
    await finish(t, patron.token, '3d-printing-basics');
    const done = await t.http
      .post('/api/manuals/3d-printing-basics/progress')
      .set(bearer(patron.token))
      .send({ step: manual.body.steps.length })
      .expect(200);
    expect(done.body).toMatchObject({ completed: true, certified: [] });
  });

  it('exports to files that import back without changes, and never silently overwrites app edits', async () => {
    const importer = t.app.get(ManualsImporter);
    const dir = mkdtempSync(join(tmpdir(), 'dml-manuals-'));
    const written = await importer.exportDirectory(dir);
    expect(written.length).toBeGreaterThanOrEqual(15);
    const again = await importer.importDirectory(dir);
    expect(again).toMatchObject({ added: [], updated: [], skipped: [] });
    expect(again.unchanged.length).toBe(written.length);

    const file = join(dir, 'vhs-to-digital.md');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: VHS to digital (new edition)'),
    );
    const updated = await importer.importDirectory(dir);
    expect(updated.updated).toEqual(['vhs-to-digital']);
    expect((await t.http.get('/api/manuals/vhs-to-digital').expect(200)).body.title).toBe(
      'VHS to digital (new edition)',
    );
    // The station's walkthrough link carries the new edition's title.
    const station = await t.http.get('/api/equipment/vhs-transfer-station').expect(200);
    expect(station.body.manuals).toContainEqual({
      slug: 'vhs-to-digital',
      title: 'VHS to digital (new edition)',
    });

    // test-bench was last published by a librarian in the app: a changed file does not replace it.
    const bench = join(dir, 'test-bench.md');
    writeFileSync(bench, readFileSync(bench, 'utf8').replace(/^title: .*$/m, 'title: From a file'));
    const guarded = await importer.importDirectory(dir);
    expect(guarded.skipped).toEqual([
      { slug: 'test-bench', reason: expect.stringMatching(/edited in the app/) },
    ]);
    expect((await t.http.get('/api/manuals/test-bench').expect(200)).body.title).toBe(
      'Use the test bench',
    );
    expect(readdirSync(dir).length).toBe(written.length);
  });
});

describe('Certifications that expire', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-12-01T14:00:00Z', env: { CERTIFICATION_MONTHS: '6' } });
  });
  afterAll(() => t.close());

  it('lets a walkthrough certification lapse after CERTIFICATION_MONTHS, asking for the orientation again', async () => {
    const patron = await newPatron(t);
    await finish(t, patron.token, 'lab-orientation');
    await finish(t, patron.token, 'podcast-studio-basics');
    const me = await t.http.get('/api/me').set(bearer(patron.token)).expect(200);
    expect(me.body.certifications[0].expiresAt).toBe('2027-06-01T09:00:00-04:00');
    t.clock.set('2027-06-02T14:00:00Z');
    const login = await t.http
      .post('/api/auth/login')
      .send({ cardNumber: patron.cardNumber, pin: patron.pin })
      .expect(200);
    const refused = await t.http
      .post('/api/bookings')
      .set(bearer(login.body.token))
      .send({
        equipment: 'podcast-studio',
        start: local('2027-06-03T15:00'),
        end: local('2027-06-03T16:00'),
      })
      .expect(422);
    expect(refused.body.code).toBe('ORIENTATION_REQUIRED');
  });
});
