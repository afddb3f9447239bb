import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Image } from '../src/images/image.entity';
import { ManualsImporter } from '../src/manuals/manuals-importer.service';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, newPatron, signIn } from './factories';
import { HTML, jpeg, png, SVG } from './image-files';

describe('Images', () => {
  let t: TestApp;
  let librarian: string;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-12-01T14:00:00Z' });
    [librarian, staff] = [await signIn(t, 'librarian'), await signIn(t, 'staff')];
  });
  afterAll(() => t.close());

  const upload = (bytes: Buffer, filename = 'photo.png', token = librarian, contentType?: string) =>
    t.http
      .post('/api/images')
      .set(bearer(token))
      .attach('file', bytes, { filename, contentType: contentType ?? 'image/png' });

  it.each([
    ['PNG', png(4, 3, 10), 'image/png', 'png', { width: 4, height: 3 }],
    ['JPEG', jpeg(5, 2), 'image/jpeg', 'jpg', { width: 5, height: 2 }],
  ])(
    'stores a %s under its SHA-256 and serves the same bytes back',
    async (_kind, bytes, contentType, extension, size) => {
      // The name and the type the browser claims are ignored: the bytes decide.
      const stored = await upload(bytes, 'whatever.gif', librarian, 'text/plain').expect(201);
      expect(stored.body).toEqual({
        url: expect.stringMatching(new RegExp(`^/api/images/[0-9a-f]{64}\\.${extension}$`)),
        contentType,
        bytes: bytes.length,
        ...size,
      });
      const served = await t.http
        .get(stored.body.url as string)
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(served.headers['content-type']).toBe(contentType);
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(served.headers['cache-control']).toMatch(/max-age=31536000/);
      expect(Buffer.compare(served.body as Buffer, bytes)).toBe(0);
    },
  );

  const storedImages = (where: { name?: string } = {}) =>
    t.app.get(DataSource).getRepository(Image).countBy(where);

  it('keeps one copy of the same bytes uploaded twice, and records each upload', async () => {
    const bytes = png(6, 6, 99);
    const first = await upload(bytes).expect(201);
    const second = await upload(bytes, 'copy.png').expect(201);
    expect(second.body.url).toBe(first.body.url);
    const name = (first.body.url as string).split('/').pop()!;
    expect(await storedImages({ name })).toBe(1);
    const audit = await t.http
      .get('/api/audit')
      .query({ action: 'image.uploaded', subject: name })
      .set(bearer(librarian))
      .expect(200);
    expect(audit.body).toHaveLength(2);
    expect(audit.body[0]).toMatchObject({ actor: expect.stringContaining('librarian') });
  });

  it.each([
    ['an SVG', SVG, /this file is SVG/],
    ['an HTML page', HTML, /this file is HTML/],
    ['text', Buffer.from('just words'), /unknown kind/],
  ])('refuses %s renamed .png with 415, and stores nothing', async (_kind, bytes, message) => {
    const before = await storedImages();
    const refused = await upload(bytes, 'innocent.png').expect(415);
    expect(refused.body.message).toMatch(message);
    expect(refused.body.message).toMatch(/PNG, JPEG, WebP or GIF/);
    expect(await storedImages()).toBe(before);
  });

  it('refuses an image over 5 MB with 413 and says so', async () => {
    const big = Buffer.concat([png(1, 1), Buffer.alloc(5 * 1024 * 1024)]);
    const refused = await upload(big).expect(413);
    expect(refused.body).toMatchObject({
      statusCode: 413,
      message: expect.stringMatching(/larger than 5 MB/),
    });
  });

  it('asks for the file when none is sent', async () => {
    const json = await t.http
      .post('/api/images')
      .set(bearer(librarian))
      .send({ file: 'x' })
      .expect(400);
    expect(json.body.message).toMatch(/file/);
    const wrongField = await t.http
      .post('/api/images')
      .set(bearer(librarian))
      .attach('photo', png(), 'a.png')
      .expect(400);
    expect(wrongField.body.message).toMatch(/photo/);
  });

  it('lets only librarians upload', async () => {
    const patron = await newPatron(t);
    await t.http.post('/api/images').attach('file', png(), 'a.png').expect(401);
    await upload(png(), 'a.png', patron.token).expect(403);
    await upload(png(), 'a.png', staff).expect(403);
  });

  it.each([
    ['%2e%2e%2f%2e%2e%2fetc%2fpasswd', 400],
    ['..%2F..%2Fpackage.json', 400],
    ['..%5C..%5Cpackage.json', 400],
    ['dml.sqlite', 400],
    [`${'a'.repeat(64)}.svg`, 400],
    [`${'A'.repeat(64)}.png`, 400],
    [`${'a'.repeat(64)}.png%00.html`, 400],
    [`${'a'.repeat(64)}.png`, 404],
  ])('answers GET /api/images/%s with %d, never a file outside', async (name, status) => {
    const response = await t.http.get(`/api/images/${name}`).expect(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  describe('in walkthrough steps', () => {
    const manual = (slug: string, images: unknown[]) => ({
      slug,
      title: 'Pictures of the bench',
      summary: 'A walkthrough with pictures.',
      difficulty: 'easy',
      estimatedMinutes: [5, 10],
      equipment: [],
      steps: [
        { title: 'Find the knob', body: 'Turn it to **noon**.', images },
        { title: 'Listen', body: 'Put the headphones on.' },
      ],
    });

    it('keeps a step picture through draft, publish, history, diff, restore and export', async () => {
      const first = (await upload(png(8, 8, 1)).expect(201)).body.url as string;
      const second = (await upload(jpeg(9, 9)).expect(201)).body.url as string;
      const created = await t.http
        .post('/api/manuals')
        .set(bearer(librarian))
        .send(manual('picture-bench', [{ src: first, alt: '  The gain knob [at noon]  ' }]))
        .expect(201);
      expect(created.body.content.steps[0].images).toEqual([
        { src: first, alt: 'The gain knob [at noon]' },
      ]);
      expect(created.body.content.steps[1].images).toEqual([]);
      await t.http.post('/api/manuals/picture-bench/publish').set(bearer(librarian)).expect(200);
      const published = await t.http.get('/api/manuals/picture-bench').expect(200);
      expect(published.body.steps.map((s: { images: unknown[] }) => s.images)).toEqual([
        [{ src: first, alt: 'The gain knob [at noon]' }],
        [],
      ]);

      const changed = manual('picture-bench', [
        { src: first, alt: 'The gain knob [at noon]' },
        { src: second, alt: 'The meter in the green' },
      ]);
      const { slug: _slug, ...content } = changed;
      await t.http
        .put('/api/manuals/picture-bench/draft')
        .set(bearer(librarian))
        .send(content)
        .expect(200);
      await t.http.post('/api/manuals/picture-bench/publish').set(bearer(librarian)).expect(200);
      expect(
        (await t.http.get('/api/manuals/picture-bench').expect(200)).body.steps[0].images,
      ).toHaveLength(2);
      const diff = await t.http
        .get('/api/manuals/picture-bench/diff')
        .query({ from: 1, to: 2 })
        .set(bearer(librarian))
        .expect(200);
      expect(diff.body.unified).toContain(`+![The meter in the green](${second})`);
      const old = await t.http
        .get('/api/manuals/picture-bench/revisions/1')
        .set(bearer(librarian))
        .expect(200);
      expect(JSON.stringify(old.body)).toContain('The gain knob [at noon]');
      expect(JSON.stringify(old.body)).not.toContain('The meter in the green');

      const restored = await t.http
        .post('/api/manuals/picture-bench/revisions/1/restore')
        .set(bearer(librarian))
        .expect(200);
      expect(restored.body.content.steps[0].images).toEqual([
        { src: first, alt: 'The gain knob [at noon]' },
      ]);
      await t.http.post('/api/manuals/picture-bench/publish').set(bearer(librarian)).expect(200);

      const importer = t.app.get(ManualsImporter);
      const dir = mkdtempSync(join(tmpdir(), 'dml-pictures-'));
      await importer.exportDirectory(dir);
      const file = readFileSync(join(dir, 'picture-bench.md'), 'utf8');
      expect(file).toContain(
        `## Find the knob\n![The gain knob \\[at noon\\]](${first})\n\nTurn it`,
      );
      expect(await importer.importDirectory(dir)).toMatchObject({
        added: [],
        updated: [],
        skipped: [],
      });
    });

    it('embeds a video from an allowed host in a published step, and frames nothing else', async () => {
      const body = manual('video-bench', []);
      body.steps[0].body =
        'Watch this first.\n\n@[video: Setting the gain](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\n@[video](https://evil.example/embed/dQw4w9WgXcQ)';
      await t.http.post('/api/manuals').set(bearer(librarian)).send(body).expect(201);
      await t.http.post('/api/manuals/video-bench/publish').set(bearer(librarian)).expect(200);
      const published = await t.http.get('/api/manuals/video-bench').expect(200);
      const html = published.body.steps[0].html as string;
      expect(html.match(/<iframe /g)).toHaveLength(1);
      expect(html).toContain(
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Setting the gain"',
      );
      expect(html).toContain('loading="lazy"');
      const policy = String(published.headers['content-security-policy']);
      expect(policy).toContain(
        'frame-src https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com',
      );
      expect(policy).toContain("img-src 'self' data:");
    });

    it.each([
      ['without alt', (src: string) => ({ src }), /steps\.0\.images\.0\.alt/],
      ['with blank alt', (src: string) => ({ src, alt: '   ' }), /steps\.0\.images\.0\.alt/],
      ['with alt on two lines', (src: string) => ({ src, alt: 'a\nb' }), /alt must be one line/],
      [
        'from another site',
        () => ({ src: 'https://example.org/a.png', alt: 'A' }),
        /steps\.0\.images\.0\.src must be the url of an image uploaded/,
      ],
      [
        'as a javascript: address',
        () => ({ src: 'javascript:alert(1)', alt: 'A' }),
        /steps\.0\.images\.0\.src/,
      ],
      [
        'as a data: address',
        () => ({ src: 'data:image/png;base64,iVBORw0KGgo=', alt: 'A' }),
        /steps\.0\.images\.0\.src/,
      ],
      [
        'never uploaded',
        () => ({ src: `/api/images/${'0'.repeat(64)}.png`, alt: 'A' }),
        /steps\.0\.images\.0\.src names no uploaded image/,
      ],
    ])('refuses a step picture %s with 400 naming the field', async (_case, image, message) => {
      const src = (await upload(png(2, 2, 5)).expect(201)).body.url as string;
      const refused = await t.http
        .post('/api/manuals')
        .set(bearer(librarian))
        .send(manual(`refused-picture-${Math.random().toString(36).slice(2, 8)}`, [image(src)]))
        .expect(400);
      expect(String(refused.body.message)).toMatch(message);
    });

    it('refuses a fourth picture on a step, and a body that opens with an uploaded image', async () => {
      const src = (await upload(png(2, 2, 6)).expect(201)).body.url as string;
      const four = Array.from({ length: 4 }, (_, i) => ({ src, alt: `Picture ${i + 1}` }));
      const tooMany = await t.http
        .post('/api/manuals')
        .set(bearer(librarian))
        .send(manual('four-pictures', four))
        .expect(400);
      expect(String(tooMany.body.message)).toMatch(/images must hold at most 3/);
      const body = manual('leading-picture', []);
      body.steps[0].body = `![A knob](${src})\nTurn it.`;
      const leading = await t.http
        .post('/api/manuals')
        .set(bearer(librarian))
        .send(body)
        .expect(400);
      expect(String(leading.body.message)).toMatch(/body must not open with an uploaded image/);
    });
  });

  describe('as equipment photos', () => {
    const device = (slug: string, photo?: unknown) => ({
      slug,
      name: 'Photo booth',
      category: 'editing',
      kind: 'station',
      ...(photo === undefined ? {} : { photo }),
    });

    it('lets a librarian set, change and remove a device photo, shown to everyone', async () => {
      const first = (await upload(png(10, 7, 20)).expect(201)).body.url as string;
      const second = (await upload(png(10, 7, 21)).expect(201)).body.url as string;
      const created = await t.http
        .post('/api/equipment')
        .set(bearer(librarian))
        .send(device('photo-booth', { src: first, alt: ' The booth with its curtain open ' }))
        .expect(201);
      expect(created.body.photo).toEqual({ src: first, alt: 'The booth with its curtain open' });
      const changed = await t.http
        .patch('/api/equipment/photo-booth')
        .set(bearer(librarian))
        .send({ photo: { src: second, alt: 'The booth, closed' } })
        .expect(200);
      expect(changed.body.photo).toEqual({ src: second, alt: 'The booth, closed' });
      const renamed = await t.http
        .patch('/api/equipment/photo-booth')
        .set(bearer(librarian))
        .send({ name: 'Photo booth (new)' })
        .expect(200);
      expect(renamed.body.photo).toEqual({ src: second, alt: 'The booth, closed' });
      const listed = await t.http.get('/api/equipment').expect(200);
      expect(listed.body.find((d: { slug: string }) => d.slug === 'photo-booth').photo).toEqual({
        src: second,
        alt: 'The booth, closed',
      });
      const removed = await t.http
        .patch('/api/equipment/photo-booth')
        .set(bearer(librarian))
        .send({ photo: null })
        .expect(200);
      expect(removed.body.photo).toBeNull();
      const plain = await t.http.get('/api/equipment/podcast-studio').expect(200);
      expect(plain.body.photo).toBeNull();
    });

    it.each([
      ['without alt', (src: string) => ({ src }), /photo\.alt/],
      ['from another site', () => ({ src: 'https://example.org/a.png', alt: 'A' }), /photo\.src/],
      ['as a javascript: address', () => ({ src: 'javascript:alert(1)', alt: 'A' }), /photo\.src/],
      [
        'never uploaded',
        () => ({ src: `/api/images/${'0'.repeat(64)}.png`, alt: 'A' }),
        /photo\.src names no uploaded image/,
      ],
    ])('refuses a photo %s with 400 naming the field', async (_case, photo, message) => {
      const src = (await upload(png(2, 2, 30)).expect(201)).body.url as string;
      const slug = `photo-${Math.random().toString(36).slice(2, 8)}`;
      const refused = await t.http
        .post('/api/equipment')
        .set(bearer(librarian))
        .send(device(slug, photo(src)))
        .expect(400);
      expect(String(refused.body.message)).toMatch(message);
      await t.http.get(`/api/equipment/${slug}`).expect(404);
    });
  });
});
