import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export type WriteWork<T> = (manager: EntityManager) => Promise<T>;

/**
 * The one way the app writes. On Postgres each call is a real transaction on its own pooled
 * connection. On SQLite TypeORM hands every caller the same connection, so concurrent
 * transactions would interleave on it (statements of one landing inside another, callers told OK
 * for rows that were rolled back); here calls wait in one FIFO queue and run one at a time, each
 * starting with a write so that it holds SQLite's write lock from its first statement, even
 * against another process on the same file.
 */
@Injectable()
export class WriteTransactionService {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly serialised: boolean;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.serialised = dataSource.options.type !== 'postgres';
  }

  get onPostgres(): boolean {
    return !this.serialised;
  }

  run<T>(work: WriteWork<T>): Promise<T> {
    if (!this.serialised) return this.dataSource.transaction('READ COMMITTED', work);
    const result = this.tail.then(() =>
      this.dataSource.transaction(async (manager) => {
        await manager.query('UPDATE write_lock SET ticks = ticks + 1 WHERE id = 1');
        return work(manager);
      }),
    );
    this.tail = result.catch(() => undefined);
    return result;
  }
}
