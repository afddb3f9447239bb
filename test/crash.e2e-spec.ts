import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { call, createStation, ensureBuilt, type Server, startServer, tokenOf } from './built-app';
import { freshDatabase, ON_POSTGRES } from './create-test-app';
import { DEMO } from './factories';

/**
 * The production build, killed with SIGKILL while patrons are booking, then started again on the
 * same database: every booking that was confirmed with a 201 is still there, and no two live
 * bookings of a device overlap. Runs on SQLite, or on Postgres when DATABASE_URL says so.
 */

const ZONE = 'America/New_York';
const CLIENTS = 6;
const KILL_AFTER_BOOKINGS = 40;
const KILL_AFTER_MS = 2500;

interface SlotRequest {
  equipment: string;
  start: string;
  end: string;
}

/** Every half hour the lab is open over the coming weeks, round-robin over the devices. */
async function openSlots(server: Server, devices: string[]): Promise<SlotRequest[]> {
  const from = DateTime.now().setZone(ZONE).plus({ days: 1 });
  const days = await call(
    server,
    'GET',
    `/api/hours?from=${from.toISODate()}&to=${from.plus({ days: 40 }).toISODate()}`,
  );
  const slots: SlotRequest[] = [];
  for (const day of days.body as unknown as { open: { start: string; end: string }[] }[]) {
    for (const open of day.open) {
      const end = Date.parse(open.end);
      for (let at = Date.parse(open.start); at + 1_800_000 <= end; at += 1_800_000) {
        for (const equipment of devices) {
          slots.push({
            equipment,
            start: new Date(at).toISOString(),
            end: new Date(at + 1_800_000).toISOString(),
          });
        }
      }
    }
  }
  return slots;
}

describe('A server killed mid-stream', () => {
  let dataDir: string;
  let database: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  const running: Server[] = [];

  beforeAll(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'dml-crash-'));
    database = await freshDatabase(dataDir);
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      DEMO_USERS: 'true',
      LOG_LEVEL: 'silent',
      SCHEDULED_JOBS: 'false',
      API_RATE_PER_MINUTE: '1000000',
      LIBRARY_TIMEZONE: ZONE,
    };
  }, 120_000);

  afterAll(async () => {
    for (const server of running) server.kill();
    await Promise.all(running.map((s) => s.exited));
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every booking it confirmed and never double-books a device', async () => {
    const first = await startServer(env);
    running.push(first);
    const librarian = await tokenOf(first, DEMO.librarian);
    const staff = await tokenOf(first, DEMO.staff);
    const patron = await tokenOf(first, DEMO.patron);
    const buffers: Record<string, number> = { 'crash-a': 0, 'crash-b': 15, 'crash-c': 0 };
    for (const [slug, bufferMinutes] of Object.entries(buffers)) {
      expect(await createStation(first, librarian, slug, bufferMinutes)).toBe(201);
    }
    const slots = await openSlots(first, Object.keys(buffers));

    // Clients in pairs walk the same slots, so most slots are raced for and one of two wins.
    const confirmed = new Map<string, SlotRequest>();
    const outcomes: Record<string, number> = {};
    let stop = false;
    const client = async (index: number): Promise<void> => {
      for (let i = index % (CLIENTS / 2); !stop && i < slots.length; i += CLIENTS / 2) {
        try {
          const answer = await call(first, 'POST', '/api/bookings', patron, slots[i]);
          outcomes[answer.status] = (outcomes[answer.status] ?? 0) + 1;
          if (answer.status === 201) confirmed.set(answer.body.id as string, slots[i]);
        } catch {
          outcomes.unanswered = (outcomes.unanswered ?? 0) + 1; // the server is gone
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
    const started = Date.now();
    while (confirmed.size < KILL_AFTER_BOOKINGS && Date.now() - started < KILL_AFTER_MS) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.kill();
    await first.exited;
    stop = true;
    await Promise.all(clients);

    expect(confirmed.size).toBeGreaterThan(0);
    expect(outcomes.unanswered ?? 0).toBeGreaterThan(0); // the kill landed mid-stream
    expect(outcomes['500'] ?? 0).toBe(0);
    if (!ON_POSTGRES) {
      const file = new Database(database.url.slice('sqlite:'.length), { readonly: true });
      expect(file.pragma('journal_mode', { simple: true })).toBe('wal');
      file.close();
    }

    const second = await startServer(env);
    running.push(second);
    for (const [id, slot] of confirmed) {
      const found = await call(second, 'GET', `/api/bookings/${id}`, patron);
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ id, status: 'confirmed' });
      expect(Date.parse(found.body.start as string)).toBe(Date.parse(slot.start));
    }

    for (const [slug, bufferMinutes] of Object.entries(buffers)) {
      const live = await call(
        second,
        'GET',
        `/api/bookings?equipment=${slug}&status=confirmed&limit=1000`,
        staff,
      );
      expect(live.status).toBe(200);
      const times = (live.body as unknown as { start: string; end: string }[])
        .map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) }))
        .sort((a, b) => a.start - b.start);
      for (let i = 1; i < times.length; i++) {
        expect(times[i].start).toBeGreaterThanOrEqual(times[i - 1].end + bufferMinutes * 60_000);
      }
    }

    // And it takes bookings again.
    const after = await call(second, 'POST', '/api/bookings', patron, slots[slots.length - 1]);
    expect(after.status).toBe(201);
  }, 60_000);
});
