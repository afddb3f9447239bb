import { ForbiddenException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { WriteTransactionService } from '../database/write-transaction.service';
import { IlsService } from '../sip2/ils.service';
import { Sip2UnavailableError } from '../sip2/sip2-connection';
import { isBlocked, type PatronRecord } from '../sip2/sip2-message';
import { hashSecret, newToken } from './secrets';
import { normaliseGroup } from './patron-groups';
import { User } from './user.entity';

export type IlsSignIn =
  | { outcome: 'signed-in'; user: User }
  | { outcome: 'wrong' }
  | { outcome: 'blocked'; message: string };

/**
 * Card and PIN checked by the library's ILS (`PATRON_AUTH=sip2`). The ILS is asked every time;
 * a patron it accepts is created here, or brought up to date, from what it sends. The PIN is
 * never stored: the local secret is a random one nobody knows.
 */
@Injectable()
export class IlsPatronsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly ils: IlsService,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.ils.enabled;
  }

  async signIn(card: string, pin: string): Promise<IlsSignIn> {
    // The protocol cannot carry these; no PIN the ILS issues holds them.
    if (/[|\r\n]/.test(pin)) return { outcome: 'wrong' };
    let record: PatronRecord;
    try {
      record = await this.ils.patron(card, pin, this.clock.now());
    } catch (error) {
      if (error instanceof Sip2UnavailableError) throw ilsUnavailable();
      throw error;
    }
    if (!record.validPatron || !record.validPassword) return { outcome: 'wrong' };
    if (isBlocked(record)) {
      const said = record.screenMessages.length ? ` (${record.screenMessages.join(' ')})` : '';
      return {
        outcome: 'blocked',
        message: `The library has put a block on this card${said}, so it cannot be used to sign in here. Please ask at the desk.`,
      };
    }
    return { outcome: 'signed-in', user: await this.upsert(card, record) };
  }

  private async upsert(card: string, record: PatronRecord): Promise<User> {
    // Hashed outside the write queue, and only for a patron not yet here.
    const secretHash = (await this.users.existsBy({ cardNumber: card }))
      ? null
      : await hashSecret(newToken());
    const save = () =>
      this.writes.run(async (manager) => {
        const existing = await manager.findOneBy(User, { cardNumber: card });
        return existing
          ? this.update(manager, existing, record)
          : this.create(manager, card, record, secretHash ?? (await hashSecret(newToken())));
      });
    try {
      return await save();
    } catch (error) {
      // Two first sign-ins at once: the other made the patron; bring it up to date instead.
      if (await this.users.existsBy({ cardNumber: card })) return save();
      throw error;
    }
  }

  private async create(
    manager: EntityManager,
    card: string,
    record: PatronRecord,
    secretHash: string,
  ): Promise<User> {
    const user = manager.create(User, {
      role: 'patron',
      name: record.name?.slice(0, 200) ?? `Card ${card}`,
      email: emailOf(record),
      cardNumber: card,
      birthDate: record.birthDate,
      patronGroup: normaliseGroup(record.patronType),
      secretHash,
      failedSignIns: 0,
      createdAt: this.clock.now(),
      // The ILS vouches for the card: nothing to confirm by e-mail.
      verifiedAt: this.clock.now(),
    });
    await manager.insert(User, user);
    await this.audit.record(manager, user, {
      action: 'patron.registered',
      subjectType: 'patron',
      subject: card,
      details: { source: 'ils' },
    });
    return user;
  }

  /** What the ILS sent replaces what is here; what it left out stays. */
  private async update(manager: EntityManager, user: User, record: PatronRecord): Promise<User> {
    const changes: Partial<User> = {};
    if (record.name && record.name.slice(0, 200) !== user.name)
      changes.name = record.name.slice(0, 200);
    const email = emailOf(record);
    if (email && email !== user.email) changes.email = email;
    if (record.birthDate && record.birthDate !== user.birthDate)
      changes.birthDate = record.birthDate;
    const group = normaliseGroup(record.patronType);
    if (group && group !== user.patronGroup) changes.patronGroup = group;
    if (!user.verifiedAt) changes.verifiedAt = this.clock.now();
    if (Object.keys(changes).length) await manager.update(User, { id: user.id }, changes);
    return Object.assign(user, changes);
  }
}

function emailOf(record: PatronRecord): string | null {
  const email = record.email?.trim();
  return email && email.length <= 254 && /^[^@\s]+@[^@\s]+$/.test(email) ? email : null;
}

export function ilsUnavailable(): ServiceUnavailableException {
  return new ServiceUnavailableException({
    code: 'ILS_UNAVAILABLE',
    message:
      "We can't reach the library's system right now, so cards cannot be checked. Please try again in a few minutes, or ask at the desk.",
  });
}

/** With `PATRON_AUTH=sip2` a patron's PIN is the ILS's: this service can neither change nor reset it. */
export function pinKeptByIls(): ForbiddenException {
  return new ForbiddenException({
    code: 'PIN_KEPT_BY_ILS',
    message:
      "Your PIN is the one the library's catalog uses: change it there, or ask at the desk to reset it.",
  });
}
