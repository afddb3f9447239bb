import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, signIn } from './factories';
import { png } from './image-files';

/** Two instances with data folders of their own, sharing only the database. */
describe('Images across instances', () => {
  let a: TestApp;
  const folders: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'dml-other-data-'));
    folders.push(dir);
    return dir;
  };

  beforeAll(async () => {
    a = await createTestApp({ now: '2026-12-01T14:00:00Z' });
  });
  afterAll(async () => {
    await a.close();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  const read = async (instance: TestApp, url: string) => {
    const response = await instance.http.get(url).buffer(true).expect(200);
    return response.body as Buffer;
  };

  it('serves an image uploaded through one instance from another with a different DATA_DIR', async () => {
    const b = await a.secondInstance({ DATA_DIR: folder() });
    const bytes = png(7, 5, 123);
    const uploaded = await a.http
      .post('/api/images')
      .set(bearer(await signIn(a, 'librarian')))
      .attach('file', bytes, { filename: 'from-a.png', contentType: 'image/png' })
      .expect(201);
    const url = uploaded.body.url as string;
    expect(Buffer.compare(await read(b, url), bytes)).toBe(0);

    // And the other way round.
    const other = png(3, 9, 7);
    const fromB = await b.http
      .post('/api/images')
      .set(bearer(await signIn(b, 'librarian')))
      .attach('file', other, { filename: 'from-b.jpg', contentType: 'image/png' })
      .expect(201);
    expect(Buffer.compare(await read(a, fromB.body.url as string), other)).toBe(0);
  });

  it('takes in the image files an older release left in DATA_DIR/images when it starts', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'images'));
    const kept = png(4, 4, 200);
    const name = `${createHash('sha256').update(kept).digest('hex')}.png`;
    writeFileSync(join(dir, 'images', name), kept);
    // A file whose bytes are not what its name says is left out.
    const forged = `${createHash('sha256').update('something else').digest('hex')}.png`;
    writeFileSync(join(dir, 'images', forged), png(4, 4, 201));

    await a.http.get(`/api/images/${name}`).expect(404);
    await a.secondInstance({ DATA_DIR: dir });
    expect(Buffer.compare(await read(a, `/api/images/${name}`), kept)).toBe(0);
    await a.http.get(`/api/images/${forged}`).expect(404);
  });
});
