import { simpleParser } from 'mailparser';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { SMTPServer } from 'smtp-server';
import { call, createStation, ensureBuilt, type Server, startServer, tokenOf } from './built-app';
import { freshDatabase } from './create-test-app';
import { DEMO } from './factories';

/**
 * The production build killed with SIGKILL while its mail worker is in the middle of sending:
 * the SMTP server has the message but has not said so. Started again once the worker's claim has
 * run out (the second process runs 20 minutes ahead under faketime), the message goes again, and
 * every notice arrives: at most a counted duplicate, never a loss.
 */
/** Debian's faketime (installed by .ci/run) starts the second process twenty minutes ahead. */
const FAKETIME = spawnSync('faketime', ['-f', '+0', 'true']).status === 0;
const CI = process.env.CI === 'true' || process.env.CI === '1';
if (!FAKETIME && !CI)
  console.warn('Skipping the mail crash test: no faketime (apt-get install faketime).');

(FAKETIME || CI ? describe : describe.skip)('A server killed while it delivers mail', () => {
  const running: Server[] = [];
  let dataDir: string;
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(() => {
    ensureBuilt();
  }, 120_000);

  afterAll(async () => {
    for (const server of running) server.kill();
    await Promise.all(running.map((s) => s.exited));
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends every notice after a restart, the one in flight again', async () => {
    // The relay takes the first message in and never answers it; later ones it accepts.
    let holdNext = true;
    const received: string[] = [];
    const accepted: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          void simpleParser(Buffer.concat(chunks)).then((mail) => {
            const code = /Booking code: ([A-Z0-9]+)/.exec(mail.text ?? '')?.[1] ?? '?';
            received.push(code);
            if (holdNext) {
              holdNext = false;
              return; // no reply: the sender is left waiting
            }
            accepted.push(code);
            callback();
          });
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as { port: number }).port;

    dataDir = mkdtempSync(join(tmpdir(), 'dml-mail-crash-'));
    database = await freshDatabase(dataDir);
    const env = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      DEMO_USERS: 'true',
      LOG_LEVEL: 'silent',
      SCHEDULED_JOBS: 'true',
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      SMTP_TIMEOUT_SECONDS: '120',
    };
    try {
      const first = await startServer(env);
      running.push(first);
      const patron = await tokenOf(first, DEMO.patron);
      const librarian = await tokenOf(first, DEMO.librarian);
      expect(await createStation(first, librarian, 'mail-crash-station')).toBe(201);
      const free = (await freeSlots(first)).slice(0, 2);
      expect(free).toHaveLength(2);
      const codes: string[] = [];
      for (const slot of free) {
        const booked = await call(first, 'POST', '/api/bookings', patron, {
          equipment: 'mail-crash-station',
          start: slot.start,
          end: slot.end,
        });
        expect(booked.status).toBe(201);
        codes.push(booked.body.code as string);
      }

      // The worker picks the first up within its two-second tick and is left hanging on it.
      await until(() => received.length === 1);
      first.kill();
      await first.exited;
      expect(accepted).toEqual([]);

      // Twenty minutes on, the claim of the dead process has run out.
      const second = await startServer(env, ['faketime', '-f', '+20m']);
      running.push(second);
      await until(() => accepted.length === codes.length);

      expect(accepted.sort()).toEqual([...codes].sort());
      // The message in flight went twice (once unanswered): the one duplicate a crash may cost.
      expect(received.length).toBe(codes.length + 1);
    } finally {
      await new Promise<void>((resolve) => smtp.close(resolve));
    }
  }, 90_000);
});

/** The free half-hours of the test's station over the coming week. */
async function freeSlots(server: Server): Promise<{ start: string; end: string }[]> {
  const free: { start: string; end: string }[] = [];
  for (let day = 1; day <= 7 && free.length < 2; day += 1) {
    const date = new Date(Date.now() + day * 86_400_000).toISOString().slice(0, 10);
    const answer = await call(
      server,
      'GET',
      `/api/equipment/mail-crash-station/availability?date=${date}`,
    );
    const slots = answer.body.slots as {
      start: string;
      end: string;
      available: boolean;
    }[];
    free.push(...slots.filter((s) => s.available));
  }
  return free;
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the mail server');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
