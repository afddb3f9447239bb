import { DataSource, QueryRunner } from 'typeorm';
import { createTestApp, ON_POSTGRES, TestApp } from './create-test-app';

/** The parts of the pg pool behind TypeORM's PostgreSQL driver that tell how busy it is. */
interface PgPool {
  options: { max: number };
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

// The pool and the dedicated connection are PostgreSQL's; SQLite has one connection and no pool.
const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

describeOnPostgres('/health with every pooled connection busy', () => {
  let t: TestApp;
  const held: QueryRunner[] = [];

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    for (const runner of held.splice(0)) {
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
    await t.close();
  });

  it('still answers within a second', async () => {
    const dataSource = t.app.get(DataSource);
    const pool = (dataSource.driver as unknown as { master: PgPool }).master;
    const free = pool.options.max - pool.totalCount + pool.idleCount;
    for (let i = 0; i < free; i += 1) {
      const runner = dataSource.createQueryRunner();
      await runner.startTransaction();
      held.push(runner);
    }
    // The pool is spent: one more ask has to wait for a connection.
    const waiting = dataSource.query('SELECT 1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pool.waitingCount).toBeGreaterThan(0);

    const started = Date.now();
    const health = await t.http.get('/health').timeout(1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', db: 'up' });

    const last = held.pop()!;
    await last.rollbackTransaction();
    await last.release();
    await waiting;
  });
});
