import { ConflictException } from '@nestjs/common';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { LabCatalog } from '../src/bookings/lab-catalog';
import { ErrorFilter } from '../src/common/filters/error.filter';
import { appendRow } from '../src/database/rows';
import { WriteTransactionService } from '../src/database/write-transaction.service';
import { Closure, WHOLE_LIBRARY } from '../src/hours/closure.entity';
import { createTestApp, ON_POSTGRES, TestApp } from './create-test-app';
import { bearer, signIn } from './factories';

/**
 * Read-then-write transactions from many concurrent callers: every caller told OK has its row,
 * and no caller that was refused left one behind.
 */
describe('The serialised write path', () => {
  let t: TestApp;
  let writes: WriteTransactionService;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    writes = t.app.get(WriteTransactionService);
    dataSource = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  let restoreLogger: (() => void) | null = null;
  /** Collects a mark for every COMMIT sent while counting. */
  const countCommits = (into: Set<string>) => {
    const logger = dataSource.logger;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, runner) => {
      if (/^COMMIT\b/i.test(query.trim())) into.add(`commit ${into.size + 1}`);
      return original(query, parameters, runner);
    };
    restoreLogger = () => {
      logger.logQuery = original;
    };
  };
  const stopCounting = () => {
    restoreLogger?.();
    restoreLogger = null;
  };
  afterEach(stopCounting);

  const noteAbout = (subject: string, text = ''): Partial<AuditEvent> => ({
    id: randomUUID(),
    at: new Date(),
    actorId: null,
    actor: 'write-path test',
    action: 'test.note',
    subjectType: 'test',
    subject,
    details: text ? { text } : null,
  });
  const subjectsKept = async (subjects: string[]) =>
    (
      await dataSource
        .getRepository(AuditEvent)
        .find({ where: subjects.map((subject) => ({ subject })) })
    )
      .map((e) => e.subject)
      .sort();

  const closeIfOpen = (date: string, reason: string) =>
    writes.run(async (manager) => {
      if (await manager.existsBy(Closure, { date }))
        throw new ConflictException(`${date} is already closed`);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      await manager.insert(Closure, { date, areaSlug: WHOLE_LIBRARY, reason });
      return reason;
    });

  it('gives one winner per key when 60 callers race, all at once', async () => {
    const dates = ['2030-01-01', '2030-01-02', '2030-01-03'];
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => closeIfOpen(dates[i % 3], `caller ${i}`)),
    );
    const winners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const losers = results.filter((r) => r.status === 'rejected');
    expect(winners).toHaveLength(3);
    // Refused by the check, or on Postgres by the primary key when two checks ran side by side:
    // either way the caller is answered 409.
    const answers = losers.map((r) => new ErrorFilter().toBody(r.reason).statusCode);
    expect(answers).toEqual(losers.map(() => 409));
    const rows = await dataSource
      .getRepository(Closure)
      .find({ where: dates.map((date) => ({ date })) });
    expect(rows.map((r) => r.reason).sort()).toEqual([...winners].sort());
  });

  it('keeps every acknowledged write when callers arrive spread over 20 ms', async () => {
    const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const calls = Array.from({ length: 50 }, async (_, i) => {
      await later(Math.random() * 20);
      return closeIfOpen(`2031-02-${String((i % 25) + 1).padStart(2, '0')}`, `late ${i}`);
    });
    const results = await Promise.allSettled(calls);
    const winners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(winners).toHaveLength(25);
    const rows = await dataSource
      .getRepository(Closure)
      .createQueryBuilder('c')
      .where("c.date LIKE '2031-02-%'")
      .getMany();
    expect(rows.map((r) => r.reason).sort()).toEqual(winners.sort());
  });

  it('rolls back the whole transaction when the work fails part-way', async () => {
    await expect(
      writes.run(async (manager) => {
        await manager.insert(Closure, {
          date: '2032-05-05',
          areaSlug: WHOLE_LIBRARY,
          reason: 'half',
        });
        throw new Error('power cut');
      }),
    ).rejects.toThrow('power cut');
    expect(await dataSource.getRepository(Closure).existsBy({ date: '2032-05-05' })).toBe(false);
    // and the queue keeps going afterwards
    await expect(closeIfOpen('2032-05-06', 'after')).resolves.toBe('after');
  });

  it('answers each call that queued behind another by its own fate: one that fails takes back only its own rows', async () => {
    const subjects = Array.from({ length: 12 }, (_, i) => `queued call ${i}`);
    const failing = new Set([subjects[0], subjects[4], subjects[9]]);
    const committed = new Set<string>();
    countCommits(committed);
    const results = await Promise.allSettled(
      subjects.map((subject) =>
        writes.run(async (manager) => {
          await manager.insert(AuditEvent, noteAbout(subject));
          if (failing.has(subject)) throw new Error(`no room for ${subject}`);
          return subject;
        }),
      ),
    );
    stopCounting();
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))).toEqual(
      subjects.map((subject) => (failing.has(subject) ? `Error: no room for ${subject}` : subject)),
    );
    expect(await subjectsKept(subjects)).toEqual(subjects.filter((s) => !failing.has(s)).sort());
    // On SQLite the calls that waited share a transaction: fewer commits than calls.
    if (!ON_POSTGRES) expect(committed.size).toBeLessThan(subjects.length - failing.size);
  });

  it('refuses a call whose appended rows are refused at the end, keeps none of its work, and goes on', async () => {
    const taken = noteAbout('an audit record whose id is then reused');
    await writes.run((manager) => appendRow(manager, AuditEvent, taken));
    const failure = await writes
      .run(async (manager) => {
        await manager.insert(Closure, {
          date: '2032-06-06',
          areaSlug: WHOLE_LIBRARY,
          reason: 'recorded twice',
        });
        // Written with the transaction's COMMIT right behind it on PostgreSQL.
        await appendRow(manager, AuditEvent, { ...noteAbout('the reuse'), id: taken.id });
        return 'told OK';
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(new ErrorFilter().toBody(failure).statusCode).toBe(409);
    expect(await dataSource.getRepository(Closure).existsBy({ date: '2032-06-06' })).toBe(false);
    expect(await subjectsKept(['the reuse'])).toEqual([]);
    await expect(closeIfOpen('2032-06-07', 'after the refusal')).resolves.toBe('after the refusal');
  });

  // SQLite fails the statement alone and the transaction goes on; PostgreSQL fails the transaction.
  (ON_POSTGRES ? it : it.skip)(
    'refuses a call whose work went on after one of its statements failed, and keeps nothing of it',
    async () => {
      await expect(
        writes.run(async (manager) => {
          await manager.insert(AuditEvent, noteAbout('kept by a failed transaction'));
          await manager.query('SELECT 1 / 0').catch(() => undefined);
          return 'told OK';
        }),
      ).rejects.toThrow('The transaction was rolled back: one of its statements failed.');
      expect(await subjectsKept(['kept by a failed transaction'])).toEqual([]);
      await expect(closeIfOpen('2032-07-08', 'after the rollback')).resolves.toBe(
        'after the rollback',
      );
    },
  );

  // SQLite's queue: on PostgreSQL the two are transactions side by side, in no set order.
  (ON_POSTGRES ? it.skip : it)(
    'takes into the transaction the calls that queued during the turn it waited for, however long that turn took',
    async () => {
      // Each transaction counts itself once on the lock row: calls that read the same count were
      // answered from the same transaction.
      const count = async (manager: EntityManager) => {
        const [row] = await manager.query<{ ticks: number }[]>(
          'SELECT ticks FROM write_lock WHERE id = 1',
        );
        return Number(row.ticks);
      };
      let later: Promise<number>[] = [];
      const first = writes.run(async (manager) => {
        // Requests handled in the turn the transaction waits for: they take 40 ms (a busy turn
        // under load) before they reach the queue.
        setImmediate(() => {
          const until = Date.now() + 40;
          while (Date.now() < until);
          later = [writes.run(count), writes.run(count)];
        });
        return count(manager);
      });
      const seen = await first;
      expect(await Promise.all(later)).toEqual([seen, seen]);
    },
  );

  (ON_POSTGRES ? it.skip : it)(
    'lets a call queued behind a change to the opening days read the changed days',
    async () => {
      const catalog = t.app.get(LabCatalog);
      const [device] = await catalog.devices({});
      const date = '2035-07-10';
      expect((await catalog.day(date, device.areaSlug)).closure).toBeNull();
      const [, seen] = await Promise.all([
        writes.run((manager) =>
          manager.insert(Closure, { date, areaSlug: WHOLE_LIBRARY, reason: 'Flooded' }),
        ),
        writes.run((manager) => catalog.day(date, device.areaSlug, manager)),
      ]);
      expect(seen.closure).toBe('Flooded');
    },
  );

  (ON_POSTGRES ? it.skip : it)(
    'refuses every call of a shared transaction that SQLite gave up for lack of space, and keeps every call it answered',
    async () => {
      const connection = (dataSource.driver as unknown as { databaseConnection: Database.Database })
        .databaseConnection;
      const subjects = Array.from({ length: 8 }, (_, i) => `call ${i} near a full disk`);
      const results = await Promise.allSettled(
        subjects.map((subject, i) =>
          writes.run(async (manager) => {
            // Half-way through the queue the file may no longer grow, and a long row needs room.
            if (i === 4)
              connection.pragma(
                `max_page_count = ${connection.pragma('page_count', { simple: true }) as number}`,
              );
            await manager.insert(AuditEvent, noteAbout(subject, i >= 4 ? 'x'.repeat(20_000) : ''));
            return subject;
          }),
        ),
      );
      connection.pragma('max_page_count = 1073741823');
      const answered = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
      expect(refused.length).toBeGreaterThan(0);
      for (const reason of refused)
        expect(new ErrorFilter().toBody(reason)).toMatchObject({
          statusCode: 503,
          code: 'STORAGE_FULL',
        });
      expect(await subjectsKept(subjects)).toEqual([...answered].sort());
      // and the queue goes on once there is room
      await expect(closeIfOpen('2036-09-01', 'room again')).resolves.toBe('room again');
    },
  );

  it('answers 50 concurrent HTTP requests for one closure with one 201 and 49 409s', async () => {
    const librarian = await signIn(t, 'librarian');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.http
          .post('/api/closures')
          .set(bearer(librarian))
          .send({ date: '2033-03-03', reason: `request ${i}` }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const winner = responses.find((r) => r.status === 201)!.body.reason;
    const rows = await dataSource.getRepository(Closure).findBy({ date: '2033-03-03' });
    expect(rows.map((r) => r.reason)).toEqual([winner]);
  });
});
