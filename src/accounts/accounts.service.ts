import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { ageOn, localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { toDbInstant } from '../database/instant';
import { queryNamed } from '../database/named-query';
import { RowReader } from '../database/rows';
import { SessionCache } from '../database/session-cache';
import { WriteTransactionService } from '../database/write-transaction.service';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { IlsPatronsService } from './ils-patrons.service';
import { type AgeGroup, ageGroupOn, patronGroupOn } from './patron-groups';
import { PatronVerificationService } from './patron-verification.service';
import { DECOY_HASH, hashSecret, hashToken, newToken, verifySecret } from './secrets';
import { Session } from './session.entity';
import { lockKey, SignInLocks } from './sign-in-locks';
import { Role, User } from './user.entity';

/** Said to a request whose session has ended, at the door or inside its write. */
export const SESSION_ENDED = 'Your session has ended. Please sign in again.';

/**
 * What a request does, for `authenticate`: only reads, writes, or writes confirming the session
 * in its own transaction.
 */
export type SessionUse = 'reading' | 'writing' | 'confirmedByWrite';

function isLive(session: Session, user: User, now: Date): boolean {
  return !session.revokedAt && session.expiresAt > now && !user.disabledAt;
}

/** A session as read from the database, with its account. */
interface HeldSession {
  session: Session;
  user: User;
}

export type { AgeGroup } from './patron-groups';

export interface SignedIn {
  token: string;
  expiresAt: Date;
  user: User;
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly locks: SignInLocks,
    private readonly ilsPatrons: IlsPatronsService,
    private readonly verification: PatronVerificationService,
    private readonly heldSessions: SessionCache<HeldSession>,
  ) {}

  /**
   * A self-registered patron may sign in at once but books only once the e-mailed link confirms
   * their address (or staff verify them). A card whose unconfirmed registration has lapsed is
   * registered afresh.
   */
  async register(dto: RegisterDto): Promise<User> {
    if (this.config.patronAuth === 'sip2')
      throw new ForbiddenException({
        code: 'REGISTRATION_CLOSED',
        message:
          'There is no need to register: sign in with your library card number and PIN. No card yet? Ask at the desk.',
      });
    const existing = await this.users.findOneBy({ cardNumber: dto.cardNumber });
    if (existing?.verifiedAt) throw this.cardTaken();
    if (dto.birthDate > localDate(this.clock.now(), this.config.timezone)) {
      throw new BadRequestException('birthDate must not be in the future');
    }
    const user = this.newUser('patron', dto.name, dto.email, await hashSecret(dto.pin), {
      cardNumber: dto.cardNumber,
      birthDate: dto.birthDate,
      verifiedAt: null,
    });
    try {
      await this.writes.run(async (manager) => {
        const replaced = existing
          ? await this.verification.releaseStale(manager, dto.cardNumber)
          : null;
        if (existing && !replaced) throw this.cardTaken();
        await manager.insert(User, user);
        if (replaced)
          await this.audit.record(manager, null, {
            action: 'patron.registration_lapsed',
            subjectType: 'patron',
            subject: dto.cardNumber,
            details: { registeredAt: replaced.toISOString() },
          });
        await this.audit.record(manager, user, {
          action: 'patron.registered',
          subjectType: 'patron',
          subject: dto.cardNumber,
        });
        await this.verification.sendLink(manager, user);
      });
      return user;
    } catch (error) {
      if (error instanceof ConflictException) throw error;
      if (await this.users.existsBy({ cardNumber: dto.cardNumber })) throw this.cardTaken();
      throw error;
    }
  }

  async createStaff(
    role: Exclude<Role, 'patron'>,
    name: string,
    email: string,
    password: string,
  ): Promise<User> {
    if (
      await this.users.existsBy({ email: email.toLowerCase(), role: In(['staff', 'librarian']) })
    ) {
      throw new ConflictException(`A staff account for ${email} already exists.`);
    }
    const user = this.newUser(role, name, email.toLowerCase(), await hashSecret(password), {});
    await this.writes.run(async (manager) => {
      await manager.insert(User, user);
      await this.audit.record(manager, null, {
        action: 'account.created',
        subjectType: 'account',
        subject: user.email ?? user.id,
        details: { role },
      });
    });
    return user;
  }

  private newUser(
    role: Role,
    name: string,
    email: string,
    secretHash: string,
    extra: Partial<User>,
  ): User {
    return this.users.create({
      role,
      name,
      email,
      secretHash,
      failedSignIns: 0,
      createdAt: this.clock.now(),
      verifiedAt: this.clock.now(),
      ...extra,
    });
  }

  /**
   * Card and PIN, or e-mail and password. Misses are counted by the name tried (see `lockKey`),
   * so an unknown name answers and locks exactly as a real one does.
   */
  async signIn(dto: LoginDto, address?: string): Promise<SignedIn> {
    const byCard = dto.cardNumber !== undefined;
    const key = lockKey(dto, address);
    const now = this.clock.now();
    await this.locks.check(key, now);
    const user =
      byCard && this.ilsPatrons.enabled
        ? await this.checkWithIls(dto.cardNumber!, dto.pin ?? '', key)
        : await this.checkLocally(dto);
    if (!user) {
      await this.locks.recordFailure(key, now);
      throw new UnauthorizedException(
        byCard
          ? 'That card number and PIN do not match.'
          : 'That e-mail and password do not match.',
      );
    }
    const token = newToken();
    const expiresAt = new Date(now.getTime() + this.config.sessionHours * 3_600_000);
    await this.locks.clear(key);
    if (user.disabledAt)
      throw new UnauthorizedException({
        code: 'ACCOUNT_DISABLED',
        message: 'This account is switched off. Ask a librarian if you need it again.',
      });
    await this.writes.run(async (manager) => {
      await manager.insert(Session, {
        tokenHash: hashToken(token),
        userId: user.id,
        createdAt: now,
        expiresAt,
        revokedAt: null,
        id: new Session().id,
      });
    });
    return { token, expiresAt, user };
  }

  /** The account when the secret is right, null otherwise (in the same time either way). */
  private async checkLocally(dto: LoginDto): Promise<User | null> {
    const secret = (dto.cardNumber !== undefined ? dto.pin : dto.password) ?? '';
    const user = await this.findForSignIn(dto);
    const valid = await verifySecret(secret, user?.secretHash ?? DECOY_HASH);
    return user && valid ? user : null;
  }

  /**
   * The ILS decides: a wrong card or PIN is null (and counts towards the lock like a local miss);
   * a blocked card had the right PIN, so its misses start again, and it is refused with 403.
   */
  private async checkWithIls(card: string, pin: string, key: string): Promise<User | null> {
    const result = await this.ilsPatrons.signIn(card, pin);
    switch (result.outcome) {
      case 'wrong':
        return null;
      case 'blocked':
        await this.locks.clear(key);
        throw new ForbiddenException({ code: 'CARD_BLOCKED', message: result.message });
      case 'signed-in':
        return result.user;
    }
  }

  private findForSignIn(dto: LoginDto): Promise<User | null> {
    if (dto.cardNumber !== undefined)
      return this.users.findOneBy({ cardNumber: dto.cardNumber, role: 'patron' });
    return this.users
      .createQueryBuilder('u')
      .where('u.email = :email', { email: (dto.email ?? '').toLowerCase() })
      .andWhere("u.role <> 'patron'")
      .getOne();
  }

  private cardTaken(): ConflictException {
    return new ConflictException(
      'A patron with that card number is already registered. Sign in instead, or ask at the desk.',
    );
  }

  /**
   * The live session behind a bearer token or cookie, with its account. A request `reading`
   * changes nothing, so a session held in memory will do (`SessionCache`); one `writing` is
   * checked against the database. One `confirmedByWrite` may be let in on a held session too, its
   * handler confirming it in its own transaction (`confirmSession`): `toConfirm` says it must, when
   * what is held may lag the database (PostgreSQL, by the moment an announcement takes).
   */
  async authenticate(
    token: string,
    use: SessionUse = 'writing',
  ): Promise<{ user: User; sessionId: string; toConfirm: boolean } | null> {
    const hash = hashToken(token);
    const held = use === 'writing' ? undefined : this.heldSessions.get(hash);
    const found = held ?? (await this.lookUpSession(hash));
    if (!found) return null;
    const { session, user } = found;
    if (!isLive(session, user, this.clock.now())) return null;
    // A copy: what one request does to its user must not reach another's.
    return {
      user: Object.assign(Object.create(User.prototype) as User, user),
      sessionId: session.id,
      toConfirm: held !== undefined && use === 'confirmedByWrite' && !this.heldSessions.exact,
    };
  }

  /**
   * The columns and joins that confirm a session inside a write, for a statement that does other
   * work too (the booking's device lock): the account's columns under `u`, all null unless the
   * session `:session` is live at `:now` and its account enabled. `accountOf` reads it back.
   */
  get sessionConfirmation(): { columns: string; joins: string } {
    return {
      columns: this.sessionReaders().user.columns,
      joins: `LEFT JOIN sessions s ON s.id = :session AND s.revoked_at IS NULL AND s.expires_at > :now
       LEFT JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL`,
    };
  }

  /** The account in a row read with `sessionConfirmation`, or null when the session is not live. */
  accountOf(row: Record<string, unknown> | undefined): User | null {
    if (!row || row.u_id === null || row.u_id === undefined) return null;
    return this.sessionReaders().user.entityOf(row);
  }

  /**
   * Confirms, inside the caller's write transaction, that the session is still live and its
   * account enabled with the same role as when the request was let in; returns the account as it
   * now stands. Refused with `401` (the session has ended) or `403` (the role has changed).
   */
  confirmSession(account: User | null, asLetIn: User): User {
    if (!account) throw new UnauthorizedException(SESSION_ENDED);
    if (account.role !== asLetIn.role)
      throw new ForbiddenException('Your role has changed. Please sign in again.');
    return account;
  }

  /** `confirmSession` in a statement of its own, for a write with no statement to carry it. */
  async confirmSessionAlone(
    manager: EntityManager,
    sessionId: string,
    asLetIn: User,
  ): Promise<User> {
    const { columns, joins } = this.sessionConfirmation;
    const rows = await queryNamed<Record<string, unknown>>(
      manager,
      `SELECT ${columns} FROM (SELECT 1) AS one ${joins}`,
      { session: sessionId, now: toDbInstant(this.clock.now()) },
    );
    return this.confirmSession(this.accountOf(rows[0]), asLetIn);
  }

  private async lookUpSession(hash: string): Promise<HeldSession | null> {
    const since = this.heldSessions.reading();
    // Every signed-in request asks this: one hand-written statement, read back without a builder.
    const readers = this.sessionReaders();
    const [row] = await queryNamed<Record<string, unknown>>(
      this.sessions.manager,
      `SELECT ${readers.session.columns}, ${readers.user.columns}
       FROM sessions s INNER JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = :hash`,
      { hash },
    );
    if (!row) return null;
    const found = { session: readers.session.entityOf(row), user: readers.user.entityOf(row) };
    this.heldSessions.keep(hash, found, since);
    return found;
  }

  private readers?: { session: RowReader<Session>; user: RowReader<User> };

  private sessionReaders() {
    const dataSource = this.sessions.manager.connection;
    this.readers ??= {
      session: new RowReader(dataSource, Session, 's'),
      user: new RowReader(dataSource, User, 'u'),
    };
    return this.readers;
  }

  async signOut(sessionId: string): Promise<void> {
    const now = this.clock.now();
    await this.writes.run((manager) =>
      manager.update(Session, { id: sessionId }, { revokedAt: now }),
    );
  }

  /** The secret of the patron's calendar feed, made on first use or when `renew` asks for a new one. */
  async calendarToken(user: User, renew = false): Promise<string> {
    if (user.calendarToken && !renew) return user.calendarToken;
    const token = newToken();
    await this.writes.run((manager) =>
      manager.update(User, { id: user.id }, { calendarToken: token }),
    );
    user.calendarToken = token;
    return token;
  }

  findByCalendarToken(token: string): Promise<User | null> {
    return this.users.findOneBy({ calendarToken: token, role: 'patron' });
  }

  /** Staff lift a booking pause early. */
  async liftSuspension(patron: User, staff: User): Promise<void> {
    await this.writes.run(async (manager) => {
      await manager.update(User, { id: patron.id }, { suspendedUntil: null });
      await this.audit.record(manager, staff, {
        action: 'patron.suspension_lifted',
        subjectType: 'patron',
        subject: patron.cardNumber ?? patron.id,
      });
    });
    patron.suspendedUntil = null;
  }

  findPatronByCard(cardNumber: string): Promise<User | null> {
    return this.users.findOneBy({ cardNumber, role: 'patron' });
  }

  /** Patrons whose card number starts with, or whose name contains, the text. */
  searchPatrons(text: string): Promise<User[]> {
    const like = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.users
      .createQueryBuilder('u')
      .where("u.role = 'patron'")
      .andWhere(
        "(u.card_number LIKE :prefix ESCAPE '\\' OR LOWER(u.name) LIKE :like ESCAPE '\\')",
        { prefix: `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, like },
      )
      .orderBy('u.name')
      .limit(50)
      .getMany();
  }

  ageGroup(user: User): AgeGroup {
    return ageGroupOn(user.birthDate, localDate(this.clock.now(), this.config.timezone));
  }

  /** Patrons: the group staff or the ILS gave them, else the one their age puts them in. */
  groupOf(user: User): string | undefined {
    if (user.role !== 'patron') return undefined;
    return patronGroupOn(user, localDate(this.clock.now(), this.config.timezone));
  }

  ageOf(user: User): number {
    return user.birthDate
      ? ageOn(user.birthDate, localDate(this.clock.now(), this.config.timezone))
      : 99;
  }

  /** Creates the contract's demo accounts if they are missing; safe to run on every start. */
  async ensureDemoUsers(): Promise<void> {
    const today = localDate(this.clock.now(), this.config.timezone);
    const teenBirth = `${Number(today.slice(0, 4)) - 14}${today.slice(4)}`.replace(
      '-02-29',
      '-02-28',
    );
    const staff: [Exclude<Role, 'patron'>, string, string, string][] = [
      ['librarian', 'Lena Librarian', 'librarian@example.org', 'librarian-demo'],
      ['staff', 'Sam Desk', 'staff@example.org', 'staff-demo'],
    ];
    for (const [role, name, email, password] of staff) {
      if (!(await this.users.existsBy({ email, role })))
        await this.createStaff(role, name, email, password);
    }
    const patrons: [string, string, string, string][] = [
      ['21234000000017', 'Pat Patron', 'patron@example.org', '1985-06-15'],
      ['21234000000025', 'Terry Teen', 'teen@example.org', teenBirth],
    ];
    for (const [cardNumber, name, email, birthDate] of patrons) {
      if (await this.users.existsBy({ cardNumber })) continue;
      const patron = this.newUser('patron', name, email, await hashSecret('1234'), {
        cardNumber,
        birthDate,
      });
      await this.writes.run((manager) => manager.insert(User, patron));
    }
  }
}
