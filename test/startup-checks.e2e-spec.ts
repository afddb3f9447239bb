import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  statSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, MAIN, ROOT } from './built-app';

/**
 * The production build refuses to start on a SQLite file it must not use, at once and with one
 * line that names the file or folder: not a database, damaged, another program's, or read-only.
 * Runs on SQLite whatever DATABASE_URL the suite runs with: the file is the point.
 */

/** root ignores file modes, so read-only cases run the server as `nobody` when the suite is root. */
const AS_NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** Whether that user can load the build at all: a checkout in a private folder it cannot read. */
function buildReadableAsNobody(): boolean {
  const probe = spawnSync(
    process.execPath,
    ['-e', `require('fs').accessSync(${JSON.stringify(MAIN)})`],
    {
      ...AS_NOBODY,
    },
  );
  return probe.status === 0;
}
const readOnlyCase = (name: string, body: () => Promise<void>) =>
  it(name, async () => {
    if (!buildReadableAsNobody()) {
      console.warn(
        `"${name}": the build is not readable by nobody here; checked by the other cases.`,
      );
      return;
    }
    await body();
  });

interface Start {
  code: number | null;
  stderr: string;
  ms: number;
}

function start(file: string, dataDir: string, asUser: object = {}): Promise<Start> {
  const started = Date.now();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${file}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SCHEDULED_JOBS: 'false',
      PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    ...asUser,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    }),
  );
}

function expectRefused(result: Start, names: string, why: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(names);
  expect(lines[0]).toMatch(why);
  // Before, a bad file was retried for 30 s; the time here is mostly loading the code.
  expect(result.ms).toBeLessThan(15_000);
}

describe('Starting on a database file it must not use', () => {
  let dir: string;

  beforeAll(() => {
    ensureBuilt();
  }, 120_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dml-startup-'));
    chmodSync(dir, 0o755);
  });
  afterEach(() => {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file that is not a database', async () => {
    const file = join(dir, 'dml.sqlite');
    writeFileSync(file, 'These are the minutes of the library board, not a database.\n');
    expectRefused(await start(file, dir), file, /not a SQLite database/);
  });

  /**
   * A lab database of `notes` rows of `noteLength` characters, with one 4 kB page in the middle
   * (`damagedPage`) overwritten by garbage; returns its path.
   */
  function damagedDatabase(notes: number, noteLength: number, damagedPage: number): string {
    const file = join(dir, 'dml.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT)');
    db.exec('CREATE TABLE notes (body TEXT)');
    db.exec('CREATE INDEX notes_body ON notes (body)');
    const insert = db.prepare('INSERT INTO notes VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < notes; i++) insert.run(`note ${i} ${'y'.repeat(noteLength)}`);
    })();
    db.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 4096 * damagedPage);
    closeSync(fd);
    return file;
  }

  const digestOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

  it('refuses a damaged database, and leaves it as it was', async () => {
    const file = damagedDatabase(2000, 50, 5);
    const before = digestOf(file);
    expectRefused(await start(file, dir), file, /damaged/);
    // Not migrated (it has a migrations table), nor written to in any other way.
    expect(digestOf(file)).toBe(before);
  });

  it('refuses a large damaged database, scanned while the server loads, and leaves it as it was', async () => {
    // Past the size from which the scan runs in a worker thread (32 MB), started by the loader
    // while the server's code loads and Nest builds the app, which waits for it.
    const file = damagedDatabase(20_000, 1000, 5000);
    expect(statSync(file).size).toBeGreaterThan(32 * 1024 * 1024);
    const before = digestOf(file);
    expectRefused(await start(file, dir), file, /damaged/);
    expect(digestOf(file)).toBe(before);
  });

  it("refuses another program's database", async () => {
    const file = join(dir, 'dml.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)');
    db.close();
    expectRefused(await start(file, dir), file, /another program's tables \(recipes\)/);
  });

  readOnlyCase('refuses a read-only data folder at once', async () => {
    const folder = join(dir, 'data');
    mkdirSync(folder);
    chmodSync(folder, 0o555);
    const file = join(folder, 'dml.sqlite');
    expectRefused(await start(file, folder, AS_NOBODY), folder, /cannot be written to/);
  });

  readOnlyCase('refuses a read-only database file at once', async () => {
    const folder = join(dir, 'data');
    mkdirSync(folder);
    const file = join(folder, 'dml.sqlite');
    new Database(file).close();
    chmodSync(file, 0o444);
    chmodSync(folder, 0o777);
    expectRefused(await start(file, folder, AS_NOBODY), file, /read-only/);
  });
});
