import Database from 'better-sqlite3';
import { Client } from 'pg';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../src/config/app-config';
import { STUCK_AFTER_MS, WriteTransactionService } from '../src/database/write-transaction.service';
import { createTestApp, ON_POSTGRES, TestApp } from './create-test-app';
import { bearer, signIn, uniqueCardNumber } from './factories';
import { png } from './image-files';

/**
 * The store fills up, or the database drops a connection, while patrons are writing: every write
 * is either refused with a 503 that says why, or it is in the database for good, seen from another
 * connection and still there after a restart. When space comes back, writes work again by
 * themselves. SQLite is filled with `PRAGMA max_page_count` on the app's own connection (the file
 * cannot grow); PostgreSQL with a trigger that raises `disk_full` (SQLSTATE 53100) on every write.
 */

interface Store {
  /** From now on the database has no room for new rows. */
  fill(): Promise<void>;
  /** Room again. */
  free(): Promise<void>;
  /** The card numbers of every patron, read over a connection of the test's own. */
  cardsSeenElsewhere(): Promise<Set<string>>;
  close(): Promise<void>;
}

function sqliteStore(t: TestApp): Store {
  const file = t.databaseUrl.slice('sqlite:'.length);
  const appConnection = () =>
    (t.app.get(DataSource).driver as unknown as { databaseConnection: Database.Database })
      .databaseConnection;
  return {
    fill: () => {
      const db = appConnection();
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      return Promise.resolve();
    },
    free: () => {
      appConnection().pragma('max_page_count = 1073741823');
      return Promise.resolve();
    },
    cardsSeenElsewhere: () => {
      const other = new Database(file, { readonly: true });
      try {
        const rows = other.prepare("SELECT card_number FROM users WHERE role = 'patron'").all() as {
          card_number: string;
        }[];
        return Promise.resolve(new Set(rows.map((r) => r.card_number)));
      } finally {
        other.close();
      }
    },
    close: () => Promise.resolve(),
  };
}

const FULL_TABLES = ['users', 'bookings', 'write_lock'];

function postgresStore(t: TestApp): Store {
  const client = new Client({ connectionString: t.databaseUrl });
  const connected = client.connect();
  const sql = async (text: string) => {
    await connected;
    return client.query(text);
  };
  return {
    fill: async () => {
      await sql(`CREATE OR REPLACE FUNCTION fault_disk_full() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'
          USING ERRCODE = 'disk_full'; END $$ LANGUAGE plpgsql`);
      for (const table of FULL_TABLES)
        await sql(`CREATE TRIGGER fault_disk_full BEFORE INSERT OR UPDATE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION fault_disk_full()`);
    },
    free: async () => {
      for (const table of FULL_TABLES) await sql(`DROP TRIGGER fault_disk_full ON ${table}`);
    },
    cardsSeenElsewhere: async () => {
      const result = await sql("SELECT card_number FROM users WHERE role = 'patron'");
      return new Set((result.rows as { card_number: string }[]).map((r) => r.card_number));
    },
    close: async () => {
      await connected.catch(() => undefined);
      await client.end();
    },
  };
}

const storeFor = (t: TestApp): Store => (ON_POSTGRES ? postgresStore(t) : sqliteStore(t));

async function register(t: TestApp, cardNumber = uniqueCardNumber()) {
  const response = await t.http.post('/api/auth/register').send({
    cardNumber,
    pin: '4321',
    // A long name fills pages quickly.
    name: `Patron ${cardNumber} ${'x'.repeat(150)}`,
    email: `p${cardNumber}@example.org`,
    birthDate: '1990-01-01',
  });
  return { cardNumber, status: response.status, body: response.body as Record<string, unknown> };
}

async function healthEventually(t: TestApp, db: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await t.http.get('/health');
    if (response.body.db === db || Date.now() > deadline) return response.body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('Writes when the store is full', () => {
  let t: TestApp;
  let store: Store;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  it('refuses with 503 STORAGE_FULL, recovers when space returns, and keeps every acknowledged write', async () => {
    store = storeFor(t);
    const librarian = await signIn(t, 'librarian');
    const acknowledged: string[] = [];
    const keep = (answer: { cardNumber: string; status: number }) => {
      if (answer.status === 201) acknowledged.push(answer.cardNumber);
    };
    for (let i = 0; i < 3; i++) {
      const answer = await register(t);
      expect(answer.status).toBe(201);
      keep(answer);
    }

    await store.fill();
    let refused: { status: number; body: Record<string, unknown> } | undefined;
    for (let i = 0; i < 400 && !refused; i++) {
      const answer = await register(t);
      if (answer.status === 201) keep(answer);
      else refused = answer;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.body).toMatchObject({ statusCode: 503, code: 'STORAGE_FULL' });
    expect(refused?.body.message).toMatch(/full/i);
    // Still full: each further write is either refused the same way or kept.
    for (let i = 0; i < 5; i++) {
      const answer = await register(t);
      expect([201, 503]).toContain(answer.status);
      keep(answer);
    }
    const during = await t.http.get('/health');
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ db: 'full' });
    // Later, with no write from patrons in between, its own probe write still finds no room.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const probed = await t.http.get('/health');
    expect(probed.status).toBe(503);
    expect(probed.body).toMatchObject({ db: 'full' });

    await store.free();
    // Its probe finds the room before any patron writes.
    expect(await healthEventually(t, 'up')).toEqual({ status: 'ok', db: 'up' });
    // A write refused by a rule after the failure must not leave a transaction open either.
    const closure = { date: '2030-01-02', reason: 'Staff day' };
    await t.http.post('/api/closures').set(bearer(librarian)).send(closure).expect(201);
    await t.http.post('/api/closures').set(bearer(librarian)).send(closure).expect(409);
    for (let i = 0; i < 5; i++) {
      const answer = await register(t);
      expect(answer.status).toBe(201);
      keep(answer);
    }
    await t.http.get('/health').expect(200);

    const seen = await store.cardsSeenElsewhere();
    expect(acknowledged.filter((card) => !seen.has(card))).toEqual([]);

    await store.close();
    t = await t.restart();
    store = storeFor(t);
    const afterRestart = await store.cardsSeenElsewhere();
    expect(acknowledged.filter((card) => !afterRestart.has(card))).toEqual([]);
    for (const cardNumber of [acknowledged[0], acknowledged[acknowledged.length - 1]]) {
      await t.http.post('/api/auth/login').send({ cardNumber, pin: '4321' }).expect(200);
    }
  });

  it('refuses writes with 503 STORAGE_UNAVAILABLE while the database is lost or read-only, then takes them again', async () => {
    await store?.close();
    store = storeFor(t);
    const before = await register(t);
    expect(before.status).toBe(201);
    const lost = ON_POSTGRES ? await registerWhileBackendIsKilled(t) : await registerReadOnly(t);
    expect(lost.answer.status).toBe(503);
    expect(lost.answer.body).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(lost.health).toMatchObject({ status: 'error', db: ON_POSTGRES ? 'down' : 'read-only' });

    const after = await register(t);
    expect(after.status).toBe(201);
    expect(await healthEventually(t, 'up')).toEqual({ status: 'ok', db: 'up' });
    const seen = await store.cardsSeenElsewhere();
    expect(seen.has(before.cardNumber)).toBe(true);
    expect(seen.has(after.cardNumber)).toBe(true);
    expect(seen.has(lost.answer.cardNumber)).toBe(false);
  });
});

describe('A write that never finishes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('counts as stuck once it has run longer than any healthy write, and not before', async () => {
    const writes = t.app.get(WriteTransactionService);
    let finish: () => void = () => {};
    const hanging = writes.run(() => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(writes.stuck()).toBe(false);
    expect(writes.stuck(Date.now() + STUCK_AFTER_MS + 1_000)).toBe(true);
    finish();
    await hanging;
    expect(writes.stuck(Date.now() + STUCK_AFTER_MS + 1_000)).toBe(false);
    await t.http.get('/health').expect(200);
  });
});

describe('An image upload when the data folder cannot be written', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('is stored all the same: images live in the database, not the folder', async () => {
    const librarian = await signIn(t, 'librarian');
    const folder = join(t.app.get(AppConfig).dataDir, 'images');
    // root writes through file modes, but not into sysfs; anyone else is stopped by the mode.
    if (process.getuid?.() === 0) symlinkSync('/sys/kernel', folder);
    else mkdirSync(folder, { mode: 0o555 });
    try {
      const stored = await t.http
        .post('/api/images')
        .set(bearer(librarian))
        .attach('file', png(3, 3, 42), { filename: 'step.png', contentType: 'image/png' })
        .expect(201);
      const served = await t.http.get(stored.body.url as string).expect(200);
      expect(served.headers['content-type']).toBe('image/png');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

type Answer = Awaited<ReturnType<typeof register>>;

/** SQLite: the app's connection refuses writes (`query_only`), as on a read-only file. */
async function registerReadOnly(t: TestApp): Promise<{ answer: Answer; health: unknown }> {
  const db = (t.app.get(DataSource).driver as unknown as { databaseConnection: Database.Database })
    .databaseConnection;
  db.pragma('query_only = ON');
  try {
    const answer = await register(t);
    return { answer, health: (await t.http.get('/health').expect(503)).body };
  } finally {
    db.pragma('query_only = OFF');
  }
}

/**
 * PostgreSQL: a write is made slow by a trigger and its server process is terminated from another
 * connection while it runs, as when the server restarts or the connection drops.
 */
async function registerWhileBackendIsKilled(
  t: TestApp,
): Promise<{ answer: Answer; health: unknown }> {
  const admin = new Client({ connectionString: t.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE OR REPLACE FUNCTION fault_slow() RETURNS trigger AS $$
      BEGIN PERFORM pg_sleep(3); RETURN NEW; END $$ LANGUAGE plpgsql`);
    await admin.query(
      'CREATE TRIGGER fault_slow BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION fault_slow()',
    );
    const pending = register(t);
    let killed = 0;
    for (let i = 0; i < 100 && killed === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const result = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()
            AND query LIKE 'INSERT INTO "users"%' AND state = 'active'`,
      );
      killed = result.rowCount ?? 0;
    }
    expect(killed).toBe(1);
    const answer = await pending;
    const health = (await t.http.get('/health').expect(503)).body as unknown;
    await admin.query('DROP TRIGGER fault_slow ON users');
    return { answer, health };
  } finally {
    await admin.end();
  }
}
