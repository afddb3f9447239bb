import { ConflictException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorFilter } from '../src/common/filters/error.filter';
import { WriteTransactionService } from '../src/database/write-transaction.service';
import { Closure, WHOLE_LIBRARY } from '../src/hours/closure.entity';
import { createTestApp, TestApp } from './create-test-app';
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
