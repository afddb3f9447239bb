import { Sip2Connection, Sip2UnavailableError } from './sip2-connection';
import {
  PATRON_INFORMATION_FIXED,
  patronInformationMessage,
  patronRecord,
  type PatronRecord,
} from './sip2-message';
import type { Sip2Settings } from './sip2-settings';

type Waiter = (connection: Sip2Connection | null) => void;

/**
 * Asks the ILS about patrons over a small pool of logged-in connections. A connection is opened
 * when none is free and the pool has room, kept after a clean answer, and dropped after any
 * failure. ILSs close idle connections at will, so a request that fails on a reused connection
 * before any answer is tried once more on a new one.
 */
export class Sip2Client {
  private readonly idle: Sip2Connection[] = [];
  private readonly waiting: Waiter[] = [];
  private open = 0;
  private closed = false;

  constructor(
    private readonly settings: Sip2Settings,
    private readonly connect: (settings: Sip2Settings) => Promise<Sip2Connection> = (s) =>
      Sip2Connection.open(s),
  ) {}

  /** 63 Patron Information for a card and PIN, answered by 64. */
  async patronInformation(card: string, pin: string, at: Date): Promise<PatronRecord> {
    const message = patronInformationMessage({
      institution: this.settings.institution,
      card,
      pin,
      at,
      terminalPassword: this.settings.terminalPassword,
    });
    const answer = await this.withConnection((c) =>
      c.exchange(message, PATRON_INFORMATION_FIXED, '64'),
    );
    return patronRecord(answer);
  }

  /** Closes every idle connection; those in use close when they come back. */
  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.close();
    for (const waiter of this.waiting.splice(0)) waiter(null);
  }

  private async withConnection<T>(use: (c: Sip2Connection) => Promise<T>): Promise<T> {
    const { connection, reused } = await this.acquire();
    try {
      const result = await use(connection);
      this.release(connection);
      return result;
    } catch (error) {
      this.discard(connection);
      if (!(reused && error instanceof Sip2UnavailableError && error.reason === 'closed'))
        throw error;
    }
    const fresh = await this.acquire(false);
    try {
      const result = await use(fresh.connection);
      this.release(fresh.connection);
      return result;
    } catch (error) {
      this.discard(fresh.connection);
      throw error;
    }
  }

  private async acquire(mayReuse = true): Promise<{ connection: Sip2Connection; reused: boolean }> {
    if (this.closed) throw new Sip2UnavailableError('closed', 'The ILS client is shut down.');
    while (mayReuse && this.idle.length) {
      const connection = this.idle.pop()!;
      if (connection.usable) {
        connection.idle(false);
        return { connection, reused: true };
      }
      this.open -= 1;
    }
    if (this.open >= this.settings.poolSize) {
      const handed = await this.wait();
      if (handed) return { connection: handed, reused: true };
      if (this.closed) throw new Sip2UnavailableError('closed', 'The ILS client is shut down.');
    }
    this.open += 1;
    try {
      return { connection: await this.connect(this.settings), reused: false };
    } catch (error) {
      this.open -= 1;
      this.waiting.shift()?.(null);
      throw error;
    }
  }

  /** Waits for a connection handed back, or for room to open one (null). */
  private wait(): Promise<Sip2Connection | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new Sip2UnavailableError('timeout', 'Every ILS connection stayed busy.'));
      }, this.settings.timeoutMs);
      const waiter: Waiter = (connection) => {
        clearTimeout(timer);
        resolve(connection);
      };
      this.waiting.push(waiter);
    });
  }

  private release(connection: Sip2Connection): void {
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter(connection);
      return;
    }
    if (this.closed || !connection.usable) {
      this.discard(connection);
      return;
    }
    connection.idle(true);
    this.idle.push(connection);
  }

  private discard(connection: Sip2Connection): void {
    connection.close();
    this.open -= 1;
    // Room for a new connection: the first in line opens it.
    this.waiting.shift()?.(null);
  }
}
