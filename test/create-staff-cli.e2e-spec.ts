import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from './built-app';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, signIn } from './factories';

/** Runs `node dist/cli.js …` on the test app's database, as `npm run create-staff -- …` does. */
function cli(
  t: TestApp,
  args: string[],
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: t.databaseUrl,
        DEMO_USERS: 'false',
        SCHEDULED_JOBS: 'false',
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'dml-cli-'));

describe('npm run create-staff', () => {
  let t: TestApp;

  beforeAll(async () => {
    ensureBuilt();
    t = await createTestApp({ now: '2026-12-01T14:00:00Z' });
  }, 180_000);
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a desk account and prints its set-password link', async () => {
    const run = await cli(t, ['create-staff', 'quinn@library.example', 'Quinn', 'Desk']);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toContain('Created desk staff quinn@library.example.');
    expect(run.out).toContain('works once, for 7 days');
    const token = /\/reset\?token=([\w-]+)/.exec(run.out)![1];
    await t.http
      .post('/api/auth/pin-reset/confirm')
      .send({ token, password: 'quinn at the desk' })
      .expect(200);
    const login = await t.http
      .post('/api/auth/login')
      .send({ email: 'quinn@library.example', password: 'quinn at the desk' })
      .expect(200);
    expect(login.body.user).toMatchObject({ role: 'staff', name: 'Quinn Desk' });
    const trail = await t.http
      .get('/api/audit')
      .query({ subject: 'quinn@library.example', action: 'staff.created' })
      .set(bearer(await signIn(t, 'librarian')))
      .expect(200);
    expect(trail.body).toEqual([expect.objectContaining({ actor: 'system' })]);
  }, 60_000);

  it('makes a librarian with --librarian, and refuses a bad address', async () => {
    const run = await cli(t, ['create-staff', 'rowan@library.example', 'Rowan', '--librarian']);
    expect(run.out).toContain('Created librarian rowan@library.example.');
    const bad = await cli(t, ['create-staff', 'not-an-address', 'Nobody']);
    expect(bad.code).toBe(2);
  }, 60_000);
});
