import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../src/config/app-config';
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

  it('keeps one file for the same bytes uploaded twice, and records each upload', async () => {
    const bytes = png(6, 6, 99);
    const first = await upload(bytes).expect(201);
    const second = await upload(bytes, 'copy.png').expect(201);
    expect(second.body.url).toBe(first.body.url);
    const dir = join(t.app.get(AppConfig).dataDir, 'images');
    const name = (first.body.url as string).split('/').pop()!;
    expect(readdirSync(dir).filter((f) => f === name)).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
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
    const before = existsSync(join(t.app.get(AppConfig).dataDir, 'images'))
      ? readdirSync(join(t.app.get(AppConfig).dataDir, 'images')).length
      : 0;
    const refused = await upload(bytes, 'innocent.png').expect(415);
    expect(refused.body.message).toMatch(message);
    expect(refused.body.message).toMatch(/PNG, JPEG, WebP or GIF/);
    const after = existsSync(join(t.app.get(AppConfig).dataDir, 'images'))
      ? readdirSync(join(t.app.get(AppConfig).dataDir, 'images')).length
      : 0;
    expect(after).toBe(before);
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
});
