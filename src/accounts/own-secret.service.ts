import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { AuditService } from '../audit/audit.service';
import { ChangePasswordDto, ChangePinDto } from './dto/secret.dto';
import { endSessions } from './end-sessions';
import { pinKeptByIls } from './ils-patrons.service';
import { subjectOf } from './secret-links.service';
import { hashSecret, verifySecret } from './secrets';
import { lockKey, SignInLocks } from './sign-in-locks';
import { User } from './user.entity';

/** Changing your own PIN or password, with the current one. */
@Injectable()
export class OwnSecretService {
  constructor(
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly locks: SignInLocks,
    private readonly config: AppConfig,
  ) {}

  changePin(user: User, sessionId: string, dto: ChangePinDto, address?: string): Promise<void> {
    if (this.config.patronAuth === 'sip2') return Promise.reject(pinKeptByIls());
    const key = lockKey({ cardNumber: user.cardNumber ?? user.id }, address);
    return this.change(user, sessionId, key, dto.currentPin, dto.pin, 'PIN');
  }

  changePassword(
    user: User,
    sessionId: string,
    dto: ChangePasswordDto,
    address?: string,
  ): Promise<void> {
    const key = lockKey({ email: user.email ?? user.id }, address);
    return this.change(user, sessionId, key, dto.currentPassword, dto.password, 'password');
  }

  /**
   * A wrong current secret counts towards the same lock as a wrong sign-in, so a borrowed session
   * cannot be used to guess the PIN; the new secret ends every other session of the account.
   */
  private async change(
    user: User,
    sessionId: string,
    key: string,
    current: string,
    next: string,
    noun: 'PIN' | 'password',
  ): Promise<void> {
    const now = this.clock.now();
    await this.locks.check(key, now);
    if (!(await verifySecret(current, user.secretHash))) {
      await this.locks.recordFailure(key, now);
      throw new UnprocessableEntityException({
        code: 'WRONG_CURRENT_SECRET',
        message: `Your current ${noun} is not right. Type it again, or use "Forgot your ${noun}?" on the sign-in page.`,
      });
    }
    await this.locks.clear(key);
    const secretHash = await hashSecret(next);
    await this.writes.run(async (manager) => {
      await manager.update(User, { id: user.id }, { secretHash });
      await endSessions(manager, user.id, now, sessionId);
      await this.audit.record(manager, user, {
        action: 'account.secret_changed',
        ...subjectOf(user),
      });
    });
    user.secretHash = secretHash;
  }
}
