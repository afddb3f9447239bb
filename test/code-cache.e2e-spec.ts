import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, ensureBuilt, type Server, startServer } from './built-app';
import { freshDatabase } from './create-test-app';

/**
 * `npm start` loads the bundled server with V8's code cache (src/server-loader.ts): the first
 * start writes it once it listens, later starts compile from it. A cache that is damaged, or a
 * folder it cannot be written to, must never stop a start or run code of the wrong build.
 */
interface StartLine {
  level: number;
  msg: string;
}

describe('The code cache of the bundled server', () => {
  let dir: string;
  let cacheDir: string;
  let database: { url: string; drop: () => Promise<void> };
  let server: Server | undefined;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'dml-code-cache-'));
    cacheDir = join(dir, 'cache');
    database = await freshDatabase(dir);
  }, 120_000);

  afterEach(async () => {
    server?.kill();
    await server?.exited;
    server = undefined;
  });

  afterAll(async () => {
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the server with its code cache in `folder`; returns what it logged about its start. */
  async function start(folder: string, name: string): Promise<string[]> {
    return (await startLogging(folder, name)).map((line) => line.msg);
  }

  /** The same, with each line's level (pino's: 30 info, 40 warn). */
  async function startLogging(folder: string, name: string): Promise<StartLine[]> {
    const log = join(dir, `${name}.log`);
    server = await startServer(
      {
        DATABASE_URL: database.url,
        DATA_DIR: dir,
        DEMO_USERS: 'true',
        LOG_LEVEL: 'info',
        SCHEDULED_JOBS: 'false',
        CODE_CACHE_DIR: folder,
      },
      [],
      log,
    );
    // The log is written behind the answers: wait for the line.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const messages = readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"context":"Start"'))
        .map((line) => JSON.parse(line) as StartLine);
      if (messages.length > 0 || Date.now() > deadline) return messages;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The server answers as it should: the catalog, with its devices. */
  async function servesTheCatalog(): Promise<void> {
    const equipment = await call(server!, 'GET', '/api/equipment');
    expect(equipment.status).toBe(200);
    expect(equipment.body.length).toBeGreaterThan(0);
  }

  const caches = () => readdirSync(cacheDir).filter((f) => f.endsWith('.cache'));

  it('writes the cache on its first start and compiles from it on the next', async () => {
    const first = await start(cacheDir, 'first');
    expect(caches()).toHaveLength(1);
    const [cache] = caches();
    expect(first).toEqual([`Wrote the code cache ${join(cacheDir, cache)} for the next start`]);
    const written = statSync(join(cacheDir, cache));
    await servesTheCatalog();
    server!.kill();
    await server!.exited;

    const second = await start(cacheDir, 'second');
    expect(second).toEqual([`Compiled from the code cache ${join(cacheDir, cache)}`]);
    // Used as it was, not written again.
    expect(caches()).toEqual([cache]);
    expect(statSync(join(cacheDir, cache)).ino).toBe(written.ino);
    await servesTheCatalog();
  }, 120_000);

  it('compiles afresh from a damaged cache, and writes a sound one in its place', async () => {
    if (caches().length === 0) await start(cacheDir, 'before-damage');
    server?.kill();
    await server?.exited;
    const [cache] = caches();
    const path = join(cacheDir, cache);
    const bytes = readFileSync(path);
    // One byte of the compiled code changed, as a failing disk or a torn copy would.
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(path, bytes);

    const damaged = await start(cacheDir, 'damaged');
    expect(damaged).toEqual([`Wrote the code cache ${path} for the next start`]);
    await servesTheCatalog();
    expect(readFileSync(path).equals(bytes)).toBe(false);
    server!.kill();
    await server!.exited;

    // Cut short: the same.
    writeFileSync(path, bytes.subarray(0, 1000));
    const truncated = await start(cacheDir, 'truncated');
    expect(truncated).toEqual([`Wrote the code cache ${path} for the next start`]);
    await servesTheCatalog();
    server!.kill();
    await server!.exited;

    expect(await start(cacheDir, 'mended')).toEqual([`Compiled from the code cache ${path}`]);
  }, 120_000);

  it('starts and serves when the cache cannot be written, and says so', async () => {
    // A folder inside a file cannot be made.
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file');
    const folder = join(blocker, 'cache');
    const lines = await startLogging(folder, 'unwritable');
    expect(lines).toHaveLength(1);
    expect(lines[0].level).toBe(40);
    expect(lines[0].msg).toMatch(
      /^Could not write the code cache .*not-a-folder\/cache\/server-.*\.cache \(ENOTDIR\); the next start compiles afresh$/,
    );
    await servesTheCatalog();
  }, 120_000);
});
