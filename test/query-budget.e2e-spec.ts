import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { User } from '../src/accounts/user.entity';
import { BookingsRepository } from '../src/bookings/bookings.repository';
import { AuditService } from '../src/audit/audit.service';
import { queryNamed } from '../src/database/named-query';
import { SessionCache } from '../src/database/session-cache';
import { WriteTransactionService } from '../src/database/write-transaction.service';
import { createTestApp, ON_POSTGRES, TestApp } from './create-test-app';
import {
  bearer,
  local,
  mailTo,
  newDevice,
  newPatron,
  signIn,
  writeFromElsewhere,
} from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';

/**
 * The most statements one patron's booking may send to the database, counting every one that
 * does work and leaving out the transaction's own BEGIN and COMMIT, which are counted on their
 * own. The session was let in from memory: on PostgreSQL the device's lock confirms it, the facts
 * and clash check is one more, and the booking, its audit record and its queued notice are written
 * in one; SQLite, in the same process, writes them in three, after the statement that begins the
 * write and the facts.
 */
const BUDGET = ON_POSTGRES ? 3 : 5;
/** Staff booking for a card look the patron up by it first. */
const DESK_BUDGET = BUDGET + 1;
const TRANSACTION_CONTROL = /^(BEGIN|START TRANSACTION|SET TRANSACTION|COMMIT|ROLLBACK)\b/i;
/** A transaction opens with one statement (its isolation level is the session's) and closes with one. */
const MOST_TRANSACTION_CONTROL = 2;

/** Every statement the app sends to its database while `work` runs, in order. */
async function statementsOf(t: TestApp, work: () => Promise<unknown>): Promise<string[]> {
  const logger = t.app.get(DataSource).logger;
  const original = logger.logQuery.bind(logger);
  const seen: string[] = [];
  logger.logQuery = (query, parameters, runner) => {
    seen.push(query.replace(/\s+/g, ' ').trim());
    return original(query, parameters, runner);
  };
  try {
    await work();
  } finally {
    logger.logQuery = original;
  }
  return seen;
}

/**
 * The round trips a patron's booking waits for on PostgreSQL: the device's lock with the session,
 * START TRANSACTION before it and the facts and clash check behind it; then the booking with its
 * audit record and notice, COMMIT behind them.
 */
const ROUND_TRIPS = 2;

/**
 * How many times the app waited for PostgreSQL while `work` ran. The driver pipelines: a statement
 * sent while another is still unanswered on its connection travels with it, so only a statement
 * sent to a connection with nothing in flight starts a round trip.
 */
async function roundTripsOf(t: TestApp, work: () => Promise<unknown>): Promise<number> {
  type Query = (this: object, ...args: unknown[]) => unknown;
  const driver = t.app.get(DataSource).driver as unknown as {
    postgres: { Client: { prototype: { query: Query } } };
  };
  const client = driver.postgres.Client.prototype;
  const original = client.query;
  const unanswered = new WeakMap<object, number>();
  let trips = 0;
  client.query = function (this: object, ...args: unknown[]) {
    const answer = original.apply(this, args);
    if (!(answer instanceof Promise)) return answer;
    const waiting = unanswered.get(this) ?? 0;
    if (waiting === 0) trips += 1;
    unanswered.set(this, waiting + 1);
    const answered = () => unanswered.set(this, (unanswered.get(this) ?? 1) - 1);
    answer.then(answered, answered);
    return answer;
  };
  try {
    await work();
  } finally {
    client.query = original;
  }
  return trips;
}

function withinBudget(statements: string[], budget: number): void {
  const listed = statements.map((s, i) => `${i + 1}. ${s.slice(0, 300)}`).join('\n');
  const control = statements.filter((s) => TRANSACTION_CONTROL.test(s)).length;
  const work = statements.length - control;
  if (work > budget || control > MOST_TRANSACTION_CONTROL)
    throw new Error(
      `One booking sent ${work} statements (and ${control} of transaction control) to ${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'}, over the budget of ${budget} (and ${MOST_TRANSACTION_CONTROL}):\n${listed}`,
    );
}

describe('Statements per booking', () => {
  let t: TestApp;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    staff = await signIn(t, 'staff');
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  /** Books `equipment` from `start` to `end` (local times) as the holder of `token`: a 201. */
  const bookAs = (token: string, equipment: string, start: string, end: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(token))
      .send({ equipment, start: local(start), end: local(end) })
      .expect(201);

  it('books for a signed-in patron within the budget', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    // A first booking warms whatever the service keeps in memory, as a running server has.
    await bookAs(patron.token, device, '2026-12-02T10:00', '2026-12-02T11:00');
    // And so does a look: the session is held, as it is for a patron who has looked at anything.
    await t.http.get('/api/me').set(bearer(patron.token)).expect(200);
    let status = 0;
    const statements = await statementsOf(t, async () => {
      const response = await t.http
        .post('/api/bookings')
        .set(bearer(patron.token))
        .send({
          equipment: device,
          start: local('2026-12-02T15:00'),
          end: local('2026-12-02T16:00'),
        });
      status = response.status;
    });
    expect(status).toBe(201);
    withinBudget(statements, BUDGET);
    // The session is confirmed inside the transaction, never read on its own before it.
    expect(statements.filter((s) => /\bFROM sessions\b/.test(s))).toHaveLength(0);
    if (ON_POSTGRES)
      expect(statements.filter((s) => /JOIN sessions s\b.*FOR UPDATE OF e$/.test(s))).toHaveLength(
        1,
      );
  });

  (ON_POSTGRES ? it : it.skip)(
    'sends a booking’s START TRANSACTION, facts and COMMIT along with its other statements on PostgreSQL',
    async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      await t.http.get('/api/me').set(bearer(patron.token)).expect(200);
      const book = (start: string, end: string) => bookAs(patron.token, device, start, end);
      await book('2026-12-02T10:00', '2026-12-02T11:00');
      let statements: string[] = [];
      const trips = await roundTripsOf(t, async () => {
        statements = await statementsOf(t, () => book('2026-12-02T15:00', '2026-12-02T16:00'));
      });
      expect(trips).toBeLessThanOrEqual(ROUND_TRIPS);
      // In the order they went to the database: the transaction opens before the lock, the facts
      // are read behind it, and the booking is written before the COMMIT sent right behind it.
      expect(statements[0]).toBe('START TRANSACTION');
      expect(statements[1]).toMatch(/FOR UPDATE OF e$/);
      expect(statements[2]).toMatch(/FROM bookings b .*UNION ALL/);
      expect(statements.at(-2)).toMatch(/INSERT INTO "bookings"/);
      expect(statements.at(-1)).toBe('COMMIT');
      expect(statements).toHaveLength(5);
    },
  );

  it('books at the desk for a patron by card within the budget', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    await t.http
      .post('/api/bookings')
      .set(bearer(staff))
      .send({
        equipment: device,
        cardNumber: patron.cardNumber,
        start: local('2026-12-03T10:00'),
        end: local('2026-12-03T11:00'),
      })
      .expect(201);
    let status = 0;
    const statements = await statementsOf(t, async () => {
      const response = await t.http
        .post('/api/bookings')
        .set(bearer(staff))
        .send({
          equipment: device,
          cardNumber: patron.cardNumber,
          start: local('2026-12-03T15:00'),
          end: local('2026-12-03T16:00'),
        });
      status = response.status;
    });
    expect(status).toBe(201);
    withinBudget(statements, DESK_BUDGET);
    expect(statements.length).toBeGreaterThan(0);
  });

  it('still links the device’s walkthrough in the confirmation, written by the mail worker', async () => {
    const patron = await newPatron(t);
    const created = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({
        equipment: 'button-maker',
        start: local('2026-12-04T11:00'),
        end: local('2026-12-04T12:00'),
      })
      .expect(201);
    const [mail] = (await mailTo(t, patron)).filter((m) =>
      m.text?.includes(`Booking code: ${created.body.code}`),
    );
    expect(mail?.text).toContain('/manuals/button-maker-basics');
  });

  // SQLite compiles each statement text once and keeps it; a text that changes with every value
  // (an instant written into the SQL) is compiled on every query, which cost more than the query.
  it("reads a device's day with one read of its bookings once the catalog is held", async () => {
    const device = await newDevice(t);
    const day = (date: string) =>
      t.http.get(`/api/equipment/${device}/availability?date=${date}`).expect(200);
    await day('2026-12-03');
    const statements = await statementsOf(t, () => day('2026-12-03'));
    const versionReads = statements.filter((s) => /\bcatalog_version\b/.test(s));
    const bookingReads = statements.filter((s) => /\bFROM bookings\b/.test(s));
    expect(bookingReads).toHaveLength(1);
    // SQLite checks the catalog version on each read; PostgreSQL announces each new one.
    expect(versionReads).toHaveLength(ON_POSTGRES ? 0 : 1);
    expect(statements).toHaveLength(bookingReads.length + versionReads.length);
  });

  it("lists what's free with one read of the bookings once the catalog and the walkthroughs are held", async () => {
    const device = await newDevice(t);
    const free = async () => {
      const found = await t.http
        .get('/api/availability')
        .query({ start: local('2026-12-03T11:00'), end: local('2026-12-03T11:30') })
        .expect(200);
      return (found.body as { slug: string; manuals: unknown[] }[]).find((d) => d.slug === device);
    };
    expect(await free()).toBeDefined();
    const statements = await statementsOf(t, free);
    const versionReads = statements.filter((s) => /\bcatalog_version\b/.test(s));
    const bookingReads = statements.filter((s) => /\bFROM bookings\b/.test(s));
    expect(statements.filter((s) => /\bmanual/.test(s))).toEqual([]);
    expect(bookingReads).toHaveLength(1);
    expect(versionReads).toHaveLength(ON_POSTGRES ? 0 : 1);
    expect(statements).toHaveLength(bookingReads.length + versionReads.length);
  });

  it("reads a signed-in patron's bookings and certifications in one statement, held for the next look", async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    const day = (date: string) =>
      t.http
        .get(`/api/equipment/${device}/availability?date=${date}`)
        .set(bearer(patron.token))
        .expect(200);
    const factsRead = (statements: string[]) =>
      statements.filter((s) => /\bcertifications c\b/.test(s));
    await day('2026-12-03');
    // The days' hours, held for the looks that follow.
    for (const date of ['2026-12-10', '2026-12-11'])
      await t.http.get(`/api/equipment/${device}/availability?date=${date}`).expect(200);
    // Another week's day: the patron's facts are read for that week.
    const statements = await statementsOf(t, () => day('2026-12-10'));
    const sessions = statements.filter((s) => /\bFROM "?sessions"?\b/.test(s));
    const patronFacts = factsRead(statements);
    // The session read for the first request is held for the next (SessionCache).
    expect(sessions).toHaveLength(0);
    // The patron's bookings and certifications, in one statement.
    expect(patronFacts).toHaveLength(1);
    expect(patronFacts[0]).toMatch(/\bb\.patron_id = /);
    // Besides: the device's bookings, and on SQLite the catalog version.
    expect(statements).toHaveLength(ON_POSTGRES ? 2 : 3);
    // Another day of the same week: the facts just read serve it (PatronFactsCache).
    const again = await statementsOf(t, () => day('2026-12-11'));
    expect(factsRead(again)).toHaveLength(0);
    expect(again).toHaveLength(ON_POSTGRES ? 1 : 2);
  });

  it('looks a held session up again once any account has changed, and for every request that changes something', async () => {
    const patron = await newPatron(t);
    const other = await newPatron(t);
    const me = () => t.http.get('/api/me').set(bearer(patron.token)).expect(200);
    const sessionReads = async (work: () => Promise<unknown>) =>
      (await statementsOf(t, work)).filter((s) => /\bFROM "?sessions"?\b/.test(s)).length;
    await allHeard(t);
    await me();
    expect(await sessionReads(me)).toBe(0);
    // Any account changing anywhere (here another patron's PIN) drops what is held.
    const before = t.app.get(SessionCache).reading();
    await t.http
      .post('/api/me/pin')
      .set(bearer(other.token))
      .send({ currentPin: other.pin, pin: '8642' })
      .expect(204);
    await allHeard(t, before);
    expect(await sessionReads(me)).toBe(1);
    expect(await sessionReads(me)).toBe(0);
    // A request that changes something never goes by what is held.
    expect(
      await sessionReads(() =>
        t.http.post('/api/auth/logout').set(bearer(patron.token)).expect(204),
      ),
    ).toBe(1);
    await allHeard(t);
    await t.http.get('/api/me').set(bearer(patron.token)).expect(401);
  });

  it('ends a held session at once on the instance whose change ended it', async () => {
    const patron = await newPatron(t);
    const login = await t.http
      .post('/api/auth/login')
      .send({ cardNumber: patron.cardNumber, pin: patron.pin })
      .expect(200);
    const second = (login.body as { token: string }).token;
    await allHeard(t);
    await t.http.get('/api/me').set(bearer(second)).expect(200);
    await t.http.get('/api/me').set(bearer(second)).expect(200);
    // A new PIN ends the patron's other sessions.
    await t.http
      .post('/api/me/pin')
      .set(bearer(patron.token))
      .send({ currentPin: patron.pin, pin: '9753' })
      .expect(204);
    await t.http.get('/api/me').set(bearer(second)).expect(401);
  });

  (ON_POSTGRES ? it.skip : it)(
    "sees at the next read a session ended by another connection to SQLite's file",
    async () => {
      const patron = await newPatron(t);
      const me = () => t.http.get('/api/me').set(bearer(patron.token));
      await me().expect(200);
      await me().expect(200);
      // As the staff command, or anyone with the file, would: a connection of its own.
      writeFromElsewhere(
        t,
        'UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
        Date.now(),
        patron.id,
      );
      await me().expect(401);
    },
  );

  (ON_POSTGRES ? it.skip : it)(
    'sees at once an account changed by a statement of its own written by hand',
    async () => {
      const patron = await newPatron(t);
      const me = () => t.http.get('/api/me').set(bearer(patron.token));
      await me().expect(200);
      await me().expect(200);
      // No entity event for TypeORM's subscribers: only the database itself can tell.
      await t.app
        .get(DataSource)
        .query('UPDATE users SET disabled_at = ? WHERE id = ?', [Date.now(), patron.id]);
      await me().expect(401);
    },
  );

  (ON_POSTGRES ? it.skip : it)(
    'holds nothing read while a change to an account was open, once that change is undone',
    async () => {
      const patron = await newPatron(t);
      const me = () => t.http.get('/api/me').set(bearer(patron.token)).expect(200);
      const named = (await me()).body.name as string;
      await expect(
        t.app.get(WriteTransactionService).run(async (manager) => {
          await manager.update(User, { id: patron.id }, { name: 'Not Kept' });
          // SQLite shows the open change to the whole process, this read included.
          await me();
          throw new Error('The change was refused after the read.');
        }),
      ).rejects.toThrow('refused after the read');
      expect((await me()).body.name).toBe(named);
      expect((await me()).body.name).toBe(named);
    },
  );

  (ON_POSTGRES ? it.skip : it)(
    "reads a patron's bookings from when they end, not from the patron's first booking",
    async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const dataSource = t.app.get(DataSource);
      const logger = dataSource.logger;
      const original = logger.logQuery.bind(logger);
      const asked: { sql: string; parameters: unknown[] }[] = [];
      logger.logQuery = (query, parameters, runner) => {
        if (/\bb\.patron_id = /.test(query))
          asked.push({ sql: query, parameters: (parameters as unknown[] | undefined) ?? [] });
        return original(query, parameters, runner);
      };
      try {
        await t.http
          .get(`/api/equipment/${device}/availability?date=2026-12-03`)
          .set(bearer(patron.token))
          .expect(200);
        await bookAs(patron.token, device, '2026-12-03T11:00', '2026-12-03T12:00');
      } finally {
        logger.logQuery = original;
      }
      // What availability judges the patron by, and what the booking's facts read of them.
      expect(asked).toHaveLength(2);
      for (const { sql, parameters } of asked) {
        const plan = await dataSource.query<{ detail: string }[]>(
          `EXPLAIN QUERY PLAN ${sql}`,
          parameters,
        );
        const patronsBookings = plan.map((row) => row.detail).filter((d) => /\bb\b/.test(d));
        // A regular's years of bookings are not read for this week's: a seek by the end of time.
        expect(patronsBookings).toContainEqual(
          expect.stringMatching(
            /SEARCH b USING INDEX ix_bookings_patron_end \(patron_id=\? AND end_at>\?\)/,
          ),
        );
      }
    },
  );

  it('keeps every row a long write appends, and none of a write that fails', async () => {
    const writes = t.app.get(WriteTransactionService);
    const audit = t.app.get(AuditService);
    const count = async (action: string) => {
      const [row] = await t.app
        .get(DataSource)
        .query<{ n: string | number }[]>(
          `SELECT COUNT(*) AS n FROM audit_events WHERE action = '${action}'`,
        );
      return Number(row.n);
    };
    // 9,000 records of 8 values each: more than one statement can carry on PostgreSQL (65,535).
    await writes.run(async (manager) => {
      for (let i = 0; i < 9_000; i++)
        await audit.record(manager, null, {
          action: 'test.appended',
          subjectType: 'test',
          subject: `row ${i}`,
        });
    });
    expect(await count('test.appended')).toBe(9_000);
    await expect(
      writes.run(async (manager) => {
        await audit.record(manager, null, {
          action: 'test.undone',
          subjectType: 'test',
          subject: 'never',
        });
        throw new Error('The change was refused after its record was written.');
      }),
    ).rejects.toThrow('refused after');
    expect(await count('test.undone')).toBe(0);
  });

  const postgresOnly = ON_POSTGRES ? it : it.skip;
  postgresOnly(
    "writes at READ COMMITTED when the database's own default is SERIALIZABLE",
    async () => {
      const name = new URL(t.databaseUrl).pathname.slice(1);
      const admin = t.app.get(DataSource);
      await admin.query(
        `ALTER DATABASE "${name}" SET default_transaction_isolation = 'serializable'`,
      );
      try {
        // A new instance opens new connections, which take the database's defaults.
        const other = await t.secondInstance();
        const [outside] = await other.app
          .get(DataSource)
          .query<{ level: string }[]>(
            "SELECT current_setting('default_transaction_isolation') AS level",
          );
        const [inside] = await other.app
          .get(WriteTransactionService)
          .run((manager) =>
            manager.query<{ transaction_isolation: string }[]>('SHOW transaction_isolation'),
          );
        expect(outside.level).toBe('read committed');
        expect(inside.transaction_isolation).toBe('read committed');
        const device = await newDevice(t);
        const patron = await newPatron(t);
        await other.http
          .post('/api/bookings')
          .set(bearer(patron.token))
          .send({
            equipment: device,
            start: local('2026-12-09T10:00'),
            end: local('2026-12-09T11:00'),
          })
          .expect(201);
      } finally {
        await admin.query(`ALTER DATABASE "${name}" RESET default_transaction_isolation`);
      }
    },
  );

  const sqliteOnly = ON_POSTGRES ? it.skip : it;
  sqliteOnly(
    'compiles no new statement for a second booking or a second day of availability',
    async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const book = (start: string, end: string) => bookAs(patron.token, device, start, end);
      const availability = (date: string) =>
        t.http.get(`/api/equipment/${device}/availability?date=${date}`).expect(200);
      await book('2026-12-07T10:00', '2026-12-07T11:00');
      await availability('2026-12-07');
      const compiled = await statementsCompiledDuring(t, async () => {
        await book('2026-12-08T14:00', '2026-12-08T15:00');
        await availability('2026-12-08');
      });
      expect(compiled).toEqual([]);
    },
  );

  postgresOnly(
    'prepares a placement read once on its connection and runs it by name after that',
    async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t);
      const deviceId = (await t.http.get(`/api/equipment/${device}`).expect(200)).body.id as string;
      const repository = t.app.get(BookingsRepository);
      const day = {
        start: new Date('2026-12-03T15:00:00Z'),
        end: new Date('2026-12-03T16:00:00Z'),
      };
      const ask = (manager: EntityManager) =>
        repository.placementFacts(manager, {
          patronId: patron.id,
          deviceId,
          exceptId: null,
          now: new Date(NOW),
          counted: day,
          keeps: day,
          code: null,
        });
      // Prepared statements belong to one connection, which earlier work may have used already.
      const runs = (manager: EntityManager) =>
        manager.query<{ runs: string }[]>(
          `SELECT generic_plans + custom_plans AS runs FROM pg_prepared_statements
           WHERE statement LIKE '%placement_arm%' AND statement NOT LIKE '%b.code =%'`,
        );
      const [before, after] = await t.app.get(DataSource).transaction(async (manager) => {
        const earlier = await runs(manager);
        await ask(manager);
        await ask(manager);
        return [earlier, await runs(manager)];
      });
      // On the transaction's own connection, prepared once and run twice more.
      expect(after).toHaveLength(1);
      expect(Number(after[0].runs) - Number(before[0]?.runs ?? 0)).toBe(2);
    },
  );

  postgresOnly(
    'runs a statement of more than a thousand values once, without keeping it',
    async () => {
      const ids = Array.from(
        { length: 1001 },
        (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      );
      const kept = await t.app.get(DataSource).transaction(async (manager) => {
        const found = await queryNamed(manager, 'SELECT id FROM bookings WHERE id IN (:...ids)', {
          ids,
        });
        expect(found).toEqual([]);
        await queryNamed(manager, 'SELECT id FROM bookings WHERE id IN (:...ids)', {
          ids: ids.slice(0, 2),
        });
        return manager.query<{ statement: string }[]>(
          "SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT id FROM bookings WHERE id IN%'",
        );
      });
      expect(kept).toEqual([{ statement: 'SELECT id FROM bookings WHERE id IN ($1, $2)' }]);
    },
  );

  postgresOnly('reports a prepared statement that fails as TypeORM reports any other', async () => {
    const failed = await t.app
      .get(DataSource)
      .transaction((manager) =>
        queryNamed(manager, 'INSERT INTO write_lock (id, ticks) VALUES (:id, 0)', { id: 1 }),
      )
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(QueryFailedError);
    expect((failed as QueryFailedError).driverError).toMatchObject({ code: '23505' });
  });
});

/** The statement texts SQLite is asked to compile while `work` runs. */
async function statementsCompiledDuring(t: TestApp, work: () => Promise<unknown>) {
  const connection = (
    t.app.get(DataSource).driver as unknown as {
      databaseConnection: { prepare(sql: string): unknown };
    }
  ).databaseConnection;
  const prepare = connection.prepare.bind(connection);
  const compiled: string[] = [];
  connection.prepare = (sql: string) => {
    compiled.push(sql.replace(/\s+/g, ' ').slice(0, 300));
    return prepare(sql);
  };
  try {
    await work();
  } finally {
    delete (connection as { prepare?: unknown }).prepare;
  }
  return compiled;
}

/**
 * Waits until the instance has heard of a change to sessions or accounts made after `since` (a
 * `SessionCache.reading()`), if given, and then until nothing more arrives for a while.
 */
async function allHeard(t: TestApp, since?: number): Promise<void> {
  const cache = t.app.get(SessionCache);
  const pause = () => new Promise((resolve) => setTimeout(resolve, 150));
  for (let waited = 0; since !== undefined && cache.reading() === since; waited += 150) {
    if (waited > 3_000) throw new Error('no change to sessions was heard within 3 s');
    await pause();
  }
  for (let waited = 0, seen = -1; cache.reading() !== seen; waited += 150) {
    if (waited > 3_000) throw new Error('changes to sessions went on being heard for 3 s');
    seen = cache.reading();
    await pause();
  }
}
