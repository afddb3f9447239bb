import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TooManyAttemptsException } from '../common/too-many-attempts.exception';
import { ON_POSTGRES, toDbInstant } from '../database/instant';
import { WriteTransactionService } from '../database/write-transaction.service';
import { LoginDto } from './dto/login.dto';
import { hashToken } from './secrets';
import { SignInFailure } from './sign-in-failure.entity';

/** Wrong secrets in a row before a sign-in name is locked for a while. */
export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_SECONDS = 30;
const LONGEST_LOCK_SECONDS = 3600;

/** Seconds a name stays locked after `failures` wrong secrets in a row: 30 s, doubling, at most an hour. */
export function lockSeconds(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(LONGEST_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** (failures - FREE_ATTEMPTS));
}

/**
 * What the misses are counted by. A card and its 4-digit PIN: the card alone, from any address,
 * or spreading guesses over many addresses would beat the lock. An e-mail and password (staff):
 * the e-mail together with the client's address, so someone elsewhere cannot lock the desk out
 * for an hour by typing wrong passwords on purpose; passwords are long enough that guessing from
 * many addresses, each locked in turn, gets nowhere.
 */
export function lockKey(dto: LoginDto, address: string | undefined): string {
  const name =
    dto.cardNumber !== undefined
      ? `card:${dto.cardNumber}`
      : `email:${(dto.email ?? '').toLowerCase()}|${address ?? ''}`;
  return hashToken(name);
}

/** Sign-in locks by name tried, held in the database so all instances share them. */
@Injectable()
export class SignInLocks {
  constructor(
    @InjectRepository(SignInFailure) private readonly failures: Repository<SignInFailure>,
    private readonly writes: WriteTransactionService,
  ) {}

  /** Refuses with 429 while the name is locked. */
  async check(key: string, now: Date): Promise<void> {
    const row = await this.failures.findOneBy({ key });
    if (!row) return;
    const until = row.lastFailureAt.getTime() + lockSeconds(row.failures) * 1000;
    if (until > now.getTime()) throw lockedFor(until - now.getTime());
  }

  /** Counts one more miss; refuses with 429 when this one locks the name. */
  async recordFailure(key: string, now: Date): Promise<void> {
    const at = toDbInstant(now);
    // One statement, so misses counted at once by several instances all add up.
    const [p1, p2] = ON_POSTGRES ? ['$1', '$2'] : ['?', '?'];
    const rows = await this.writes.run((manager) =>
      manager.query<{ failures: number }[]>(
        `INSERT INTO sign_in_failures (lock_key, failures, last_failure_at) VALUES (${p1}, 1, ${p2})
         ON CONFLICT (lock_key) DO UPDATE SET failures = sign_in_failures.failures + 1,
           last_failure_at = excluded.last_failure_at
         RETURNING failures`,
        [key, at],
      ),
    );
    const seconds = lockSeconds(Number(rows[0].failures));
    if (seconds) throw lockedFor(seconds * 1000);
  }

  /** A right secret: the count starts again. */
  async clear(key: string): Promise<void> {
    await this.failures.delete({ key });
  }
}

function lockedFor(milliseconds: number): TooManyAttemptsException {
  const seconds = Math.max(1, Math.ceil(milliseconds / 1000));
  return new TooManyAttemptsException(
    seconds,
    `Too many wrong attempts. Please wait ${seconds} seconds and try again, or ask at the desk.`,
  );
}
