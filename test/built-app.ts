import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The production build run as its own process, for tests that kill it or give it another clock. */

export const ROOT = join(__dirname, '..');
/** What `npm start` runs: the bundled server (scripts/bundle.mjs). */
export const MAIN = join(ROOT, 'dist', 'server', 'main.js');

/** `npm test` on a fresh clone has no build, and a stale one would test old code. */
export function ensureBuilt(): void {
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
        const path = join(dir, entry.name);
        return entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
      }),
    );
  const sources = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'scripts')));
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= sources) return;
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Server {
  url: string;
  /** Kills the server at once (SIGKILL), and the command it runs under, such as faketime. */
  kill(): void;
  exited: Promise<unknown>;
}

/**
 * Starts the bundled server, as `npm start` does, with the environment given and waits for
 * `/health`. `prefix` runs it under another command, such as `faketime` to start it at another
 * time; `logFile`, when given, receives what the server writes to its output.
 */
export async function startServer(
  env: Record<string, string>,
  prefix: string[] = [],
  logFile?: string,
): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const [command, ...args] = [...prefix, process.execPath, MAIN];
  const output = logFile ? openSync(logFile, 'a') : 'ignore';
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), PUBLIC_URL: url },
    stdio: ['ignore', output, 'ignore'],
    // A group of its own: faketime runs the server as its child, which killing faketime alone
    // would leave running after the test.
    detached: true,
  });
  if (typeof output === 'number') closeSync(output);
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stopped = false;
  void exited.then(() => (stopped = true));
  const deadline = Date.now() + 30_000;
  while (!stopped && Date.now() < deadline) {
    const ok = await fetch(`${url}/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { url, kill, exited };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  kill();
  throw new Error('The server did not answer /health.');
}

export async function call(
  server: Server,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
}

/** A parsed JSON answer; each use says what it expects. */
export type Json = Record<string, unknown> & unknown[];

/** Signs a demo account in to the running build and returns its token. */
export async function tokenOf(server: Server, account: object): Promise<string> {
  return (await call(server, 'POST', '/api/auth/login', undefined, account)).body.token as string;
}

/** A half-hour station with no notice, far horizon and no quota to speak of. */
export async function createStation(
  server: Server,
  librarian: string,
  slug: string,
  bufferMinutes = 0,
): Promise<number> {
  const created = await call(server, 'POST', '/api/equipment', librarian, {
    slug,
    name: `Test station ${slug}`,
    category: 'editing',
    kind: 'station',
    location: 'Digital Media Lab',
    requiresOrientation: false,
    minAge: 0,
    policy: {
      slotMinutes: 30,
      minMinutes: 30,
      maxMinutes: 120,
      bufferMinutes,
      maxAdvanceDays: 60,
      minNoticeMinutes: 0,
      maxActivePerPatron: 100,
      maxMinutesPerWeek: 20_000,
    },
  });
  return created.status;
}
