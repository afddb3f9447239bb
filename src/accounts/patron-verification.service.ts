import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { toDbInstant } from '../database/instant';
import { WriteTransactionService } from '../database/write-transaction.service';
import { ResendVerificationDto } from './dto/verify.dto';
import { SecretLinksService, subjectOf } from './secret-links.service';
import { User } from './user.entity';

/**
 * How long an unconfirmed self-registration holds its card number. After that, a new
 * registration of the card replaces it, so nobody can squat a card by registering it with an
 * address they never confirm.
 */
export const UNCONFIRMED_HOLD_DAYS = 7;

/** A resend answers no sooner than this, so a card that exists and one that does not look alike. */
const RESEND_ANSWER_MS = 250;

/** At most this many patrons share one e-mail address for a resend (a family's cards). */
const RESEND_PER_ADDRESS = 10;

/**
 * Self-registered patrons confirm their e-mail address through a single-use link before their
 * first booking, or staff verify them after seeing the card.
 */
@Injectable()
export class PatronVerificationService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly links: SecretLinksService,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Queues the confirmation e-mail in the caller's transaction. */
  async sendLink(manager: EntityManager, patron: User): Promise<void> {
    await this.links.issue(manager, patron, 'verify');
  }

  /**
   * Removes the card's unconfirmed registration if it is older than the hold, in the caller's
   * transaction; when it was made, if one was removed. An unverified patron never held a booking:
   * every booking passes the `accountVerified` rule, a verification is never taken back, and the
   * migration verified every account older than this feature.
   */
  async releaseStale(manager: EntityManager, cardNumber: string): Promise<Date | null> {
    const stale = await manager.findOneBy(User, {
      cardNumber,
      role: 'patron',
      verifiedAt: IsNull(),
    });
    const cutoff = new Date(this.clock.now().getTime() - UNCONFIRMED_HOLD_DAYS * 86_400_000);
    if (!stale || stale.createdAt > cutoff) return null;
    const removed = await manager
      .createQueryBuilder()
      .delete()
      .from(User)
      .where('id = :id AND verified_at IS NULL AND created_at <= :cutoff', {
        id: stale.id,
        cutoff: toDbInstant(cutoff),
      })
      .execute();
    return removed.affected ? stale.createdAt : null;
  }

  /** Confirms the e-mail address of the link's patron, once. */
  async confirm(token: string): Promise<User> {
    const { link, user } = await this.links.open(token, ['verify']);
    const now = this.clock.now();
    await this.writes.run(async (manager) => {
      await this.links.claim(manager, link, now);
      await this.markVerified(manager, user, user, now, 'e-mail');
    });
    user.verifiedAt ??= now;
    return user;
  }

  /**
   * A new confirmation link for an unconfirmed patron with that card or address; answers the
   * same, in about the same time, whether or not there is one.
   */
  async resend(dto: ResendVerificationDto): Promise<void> {
    const started = performance.now();
    try {
      for (const patron of await this.unconfirmed(dto)) await this.resendTo(patron);
    } finally {
      const left = RESEND_ANSWER_MS - (performance.now() - started);
      if (left > 0) await sleep(left);
    }
  }

  /** A new link for the signed-in patron; false when there is nothing to confirm. */
  async resendTo(patron: User): Promise<boolean> {
    if (patron.role !== 'patron' || patron.verifiedAt || !patron.email) return false;
    await this.writes.run(async (manager) => {
      await this.sendLink(manager, patron);
      await this.audit.record(manager, null, {
        action: 'patron.verification_sent',
        ...subjectOf(patron),
      });
    });
    return true;
  }

  /** Staff verify a patron after seeing the card; nothing to do for one already verified. */
  async verifyAtDesk(patron: User, staff: User): Promise<void> {
    if (patron.verifiedAt) return;
    const now = this.clock.now();
    await this.writes.run((manager) =>
      this.markVerified(manager, patron, staff, now, 'card seen at the desk'),
    );
    patron.verifiedAt ??= now;
  }

  /** Sets `verifiedAt` unless someone did meanwhile, and records who verified, once. */
  private async markVerified(
    manager: EntityManager,
    patron: User,
    actor: User,
    now: Date,
    by: string,
  ): Promise<void> {
    const marked = await manager
      .createQueryBuilder()
      .update(User)
      .set({ verifiedAt: now })
      .where('id = :id AND verified_at IS NULL', { id: patron.id })
      .execute();
    if (!marked.affected) return;
    await this.audit.record(manager, actor, {
      action: 'patron.verified',
      ...subjectOf(patron),
      details: { by },
    });
  }

  private unconfirmed(dto: ResendVerificationDto): Promise<User[]> {
    if (dto.cardNumber !== undefined)
      return this.users.findBy({
        cardNumber: dto.cardNumber,
        role: 'patron',
        verifiedAt: IsNull(),
      });
    return this.users
      .createQueryBuilder('u')
      .where("u.role = 'patron' AND u.verified_at IS NULL")
      .andWhere('LOWER(u.email) = :email', { email: (dto.email ?? '').toLowerCase() })
      .limit(RESEND_PER_ADDRESS)
      .getMany();
  }
}
