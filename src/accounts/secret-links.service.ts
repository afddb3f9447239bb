import {
  BadRequestException,
  GoneException,
  Injectable,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { OutboxService } from '../notifications/outbox.service';
import { ConfirmSecretResetDto, RequestSecretResetDto } from './dto/secret.dto';
import { endSessions } from './end-sessions';
import { pinKeptByIls } from './ils-patrons.service';
import { secretLinkMail } from './secret-link-mail';
import { SecretLink, SecretLinkPurpose } from './secret-link.entity';
import { hashSecret, hashToken, newToken } from './secrets';
import { lockKey, SignInLocks } from './sign-in-locks';
import { User } from './user.entity';

/**
 * How long a link stays good: a forgotten secret briefly, a new account's first one a week, an
 * e-mail confirmation two days (a patron may register at the lab and read their mail at home).
 */
export const LINK_MINUTES: Record<SecretLinkPurpose, number> = {
  reset: 30,
  welcome: 7 * 24 * 60,
  verify: 48 * 60,
};

/** The page each kind of link opens. */
const LINK_PAGE: Record<SecretLinkPurpose, string> = {
  reset: 'reset',
  welcome: 'reset',
  verify: 'verify',
};

/** The links that set a PIN or password. */
const SECRET_PURPOSES: SecretLinkPurpose[] = ['reset', 'welcome'];

/**
 * A reset request answers no sooner than this (wall-clock time, not the lab's clock), so an
 * account that exists (a lookup, a write and an e-mail queued) and one that does not (a lookup)
 * take the same time from outside.
 */
const REQUEST_ANSWER_MS = 250;

/**
 * Single-use links e-mailed to an account: forgotten secrets and new staff accounts (they set a PIN
 * or password), and patrons' e-mail confirmations.
 */
@Injectable()
export class SecretLinksService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(SecretLink) private readonly links: Repository<SecretLink>,
    private readonly writes: WriteTransactionService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly locks: SignInLocks,
  ) {}

  /** Makes a link for the user and queues its e-mail, in the caller's transaction; the link's URL. */
  async issue(manager: EntityManager, user: User, purpose: SecretLinkPurpose): Promise<string> {
    const token = newToken();
    const now = this.clock.now();
    await manager.insert(SecretLink, {
      id: new SecretLink().id,
      tokenHash: hashToken(token),
      userId: user.id,
      purpose,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LINK_MINUTES[purpose] * 60_000),
      usedAt: null,
    });
    const url = `${this.config.publicUrl.replace(/\/$/, '')}/${LINK_PAGE[purpose]}?token=${token}`;
    if (user.email)
      await this.outbox.queueMail(
        manager,
        secretLinkMail(user, purpose, url, LINK_MINUTES[purpose]),
      );
    return url;
  }

  /**
   * "Forgot my PIN / password": e-mails a link when an active account has that card or e-mail, and
   * answers the same, in about the same time, when none has.
   */
  async request(dto: RequestSecretResetDto): Promise<void> {
    const started = performance.now();
    try {
      const user = await this.findForReset(dto);
      if (user?.email && !user.disabledAt) {
        await this.writes.run(async (manager) => {
          await this.issue(manager, user, 'reset');
          await this.audit.record(manager, null, {
            action: 'account.reset_requested',
            ...subjectOf(user),
          });
        });
      }
    } finally {
      const left = REQUEST_ANSWER_MS - (performance.now() - started);
      if (left > 0) await sleep(left);
    }
  }

  /** The desk sends a patron the link after seeing their card; the address it went to. */
  async sendToPatron(patron: User, staff: User): Promise<string> {
    if (this.config.patronAuth === 'sip2') throw pinKeptByIls();
    const email = patron.email;
    if (!email)
      throw new UnprocessableEntityException({
        code: 'NO_EMAIL',
        message: `${patron.name} has no e-mail address on file, so no link can be sent.`,
      });
    await this.writes.run(async (manager) => {
      await this.issue(manager, patron, 'reset');
      await this.audit.record(manager, staff, {
        action: 'account.reset_link_sent',
        ...subjectOf(patron),
      });
    });
    return email;
  }

  /** Whose link this is, for the reset page to ask for a PIN or a password; refuses a dead link. */
  async holder(token: string): Promise<User> {
    const { user } = await this.open(token, SECRET_PURPOSES);
    return user;
  }

  /** Sets the new secret once, and ends every session the account had. */
  async confirm(dto: ConfirmSecretResetDto): Promise<User> {
    const { link, user } = await this.open(dto.token, SECRET_PURPOSES);
    const secret = user.role === 'patron' ? dto.pin : dto.password;
    if (secret === undefined)
      throw new BadRequestException(
        user.role === 'patron'
          ? 'Choose a new PIN of 4 to 32 characters.'
          : 'Choose a new password of at least 12 characters.',
      );
    const secretHash = await hashSecret(secret);
    const now = this.clock.now();
    await this.writes.run(async (manager) => {
      await this.claim(manager, link, now);
      await manager.update(User, { id: user.id }, { secretHash });
      await endSessions(manager, user.id, now);
      await this.audit.record(manager, user, {
        action: 'account.secret_reset',
        ...subjectOf(user),
        details: { purpose: link.purpose },
      });
    });
    // Whoever holds the link may sign in with the new PIN at once, even after locking the card.
    if (user.cardNumber)
      await this.locks.clear(lockKey({ cardNumber: user.cardNumber }, undefined));
    return user;
  }

  /** Marks the link used inside the caller's transaction; refuses one used meanwhile. */
  async claim(manager: EntityManager, link: SecretLink, now: Date): Promise<void> {
    const claimed = await manager
      .createQueryBuilder()
      .update(SecretLink)
      .set({ usedAt: now })
      .where('id = :id AND used_at IS NULL', { id: link.id })
      .execute();
    if (!claimed.affected) throw linkUsed(link.purpose);
  }

  /**
   * The live link of one of these kinds behind a token, and its account. A link of another kind
   * is as unknown as a made-up one: a confirmation link never sets a PIN.
   */
  async open(
    token: string,
    purposes: SecretLinkPurpose[],
  ): Promise<{ link: SecretLink; user: User }> {
    const link = await this.links.findOneBy({ tokenHash: hashToken(token) });
    const user =
      link && purposes.includes(link.purpose)
        ? await this.users.findOneBy({ id: link.userId })
        : null;
    if (!link || !user)
      throw new BadRequestException({
        code: 'LINK_INVALID',
        message:
          'This link is not valid. Open the whole address from the e-mail, or ask for a new link.',
      });
    if (link.usedAt) throw linkUsed(link.purpose);
    if (link.expiresAt <= this.clock.now())
      throw new GoneException({
        code: 'LINK_EXPIRED',
        message:
          link.purpose === 'verify'
            ? 'This confirmation link has expired. Ask for a new one here or on your account page, or show your card at the desk.'
            : 'This link has expired. Ask for a new one on the sign-in page or at the desk.',
      });
    if (user.disabledAt)
      throw new GoneException({
        code: 'ACCOUNT_DISABLED',
        message: 'This account is switched off. Ask a librarian.',
      });
    return { link, user };
  }

  private findForReset(dto: RequestSecretResetDto): Promise<User | null> {
    // The ILS keeps patrons' PINs: a link would set a PIN nothing reads.
    if (dto.cardNumber !== undefined && this.config.patronAuth === 'sip2')
      return Promise.resolve(null);
    if (dto.cardNumber !== undefined)
      return this.users.findOneBy({ cardNumber: dto.cardNumber, role: 'patron' });
    return this.users
      .createQueryBuilder('u')
      .where('u.email = :email', { email: (dto.email ?? '').toLowerCase() })
      .andWhere("u.role <> 'patron'")
      .getOne();
  }
}

/** How the audit trail names an account: a patron by card, staff by e-mail. */
export function subjectOf(user: User): { subjectType: string; subject: string } {
  return user.role === 'patron'
    ? { subjectType: 'patron', subject: user.cardNumber ?? user.id }
    : { subjectType: 'account', subject: user.email ?? user.id };
}

function linkUsed(purpose: SecretLinkPurpose): GoneException {
  return new GoneException({
    code: 'LINK_USED',
    message:
      purpose === 'verify'
        ? 'This confirmation link has already been used. Sign in to see whether your account can book, or ask for a new link.'
        : 'This link has already been used. Ask for a new one if you need to set it again.',
  });
}
