import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/instant';

/**
 * Wrong secrets in a row for one sign-in name, whether or not an account has that name, so
 * outsiders cannot tell real cards from made-up ones by which of them gets locked. Kept in the
 * database so every instance counts the same misses.
 */
@Entity('sign_in_failures')
export class SignInFailure {
  /** SHA-256 of what the lock is keyed by (see `lockKey`): no card numbers or e-mails kept. */
  @PrimaryColumn('varchar', { name: 'lock_key', length: 64 })
  key: string;

  @Column('integer')
  failures: number;

  @InstantColumn({ name: 'last_failure_at' })
  lastFailureAt: Date;
}
