import {
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { WriteTransactionService } from '../database/write-transaction.service';
import { CreateStaffDto, StaffRole, UpdateStaffDto } from './dto/secret.dto';
import { endSessions } from './end-sessions';
import { SecretLinksService } from './secret-links.service';
import { hashSecret, newToken } from './secrets';
import { keepsALibrarian } from './staff-rules';
import { User } from './user.entity';

const STAFF_SIDE = In(['staff', 'librarian']);

/** Desk and librarian accounts, kept by librarians. */
@Injectable()
export class StaffService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly writes: WriteTransactionService,
    private readonly links: SecretLinksService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(): Promise<User[]> {
    return this.users.find({ where: { role: STAFF_SIDE }, order: { name: 'ASC' } });
  }

  /**
   * A new account with no usable password: its set-password link is e-mailed (or, with `mail`
   * off, only returned, for the command line), valid for 7 days.
   */
  async create(
    dto: CreateStaffDto,
    actor: User | null,
    mail = true,
  ): Promise<{ user: User; link: string }> {
    const email = dto.email.toLowerCase();
    // Nobody knows this password; the link replaces it.
    const secretHash = await hashSecret(newToken());
    return this.writes.run(async (manager) => {
      if (await manager.existsBy(User, { email, role: STAFF_SIDE }))
        throw new ConflictException(`A staff account for ${email} already exists.`);
      const user = manager.create(User, {
        role: dto.role,
        name: dto.name,
        email,
        secretHash,
        failedSignIns: 0,
        createdAt: this.clock.now(),
        verifiedAt: this.clock.now(),
      });
      await manager.insert(User, user);
      await this.audit.record(manager, actor, {
        action: 'staff.created',
        subjectType: 'account',
        subject: email,
        details: { role: dto.role, linkBy: mail ? 'e-mail' : 'command line' },
      });
      const mailed = mail ? user : { ...user, email: null };
      const link = await this.links.issue(manager, mailed, 'welcome');
      return { user, link };
    });
  }

  /** Re-roles, switches off (ending every session) or back on; never the last active librarian. */
  async update(id: string, dto: UpdateStaffDto, actor: User): Promise<User> {
    const now = this.clock.now();
    return this.writes.run(async (manager) => {
      const librarians = await this.activeLibrarians(manager);
      const user = await manager.findOneBy(User, { id, role: STAFF_SIDE });
      if (!user) throw new NotFoundException('There is no staff account with that id.');
      const before = { role: user.role as StaffRole, disabled: Boolean(user.disabledAt) };
      const after = { role: dto.role ?? before.role, disabled: dto.disabled ?? before.disabled };
      const others = librarians.filter((other) => other !== user.id).length;
      const refusal = keepsALibrarian(before, after, others);
      if (refusal) throw new UnprocessableEntityException(refusal);
      const subject = { subjectType: 'account', subject: user.email ?? user.id };
      if (after.role !== before.role) {
        user.role = after.role;
        await this.audit.record(manager, actor, {
          action: 'staff.role_changed',
          ...subject,
          details: { from: before.role, to: after.role },
        });
      }
      if (after.disabled !== before.disabled) {
        user.disabledAt = after.disabled ? now : null;
        if (after.disabled) await endSessions(manager, user.id, now);
        await this.audit.record(manager, actor, {
          action: after.disabled ? 'staff.disabled' : 'staff.enabled',
          ...subject,
        });
      }
      await manager.update(User, { id: user.id }, { role: user.role, disabledAt: user.disabledAt });
      return user;
    });
  }

  /**
   * The ids of the active librarians. On Postgres their rows are locked for writing (in id order
   * so two such changes never deadlock) so that two librarians stepping down at once are judged one
   * after the other, the second seeing the first's change; SQLite runs writes in turn anyway.
   */
  private async activeLibrarians(manager: EntityManager): Promise<string[]> {
    const query = manager
      .createQueryBuilder(User, 'u')
      .select('u.id')
      .where("u.role = 'librarian' AND u.disabled_at IS NULL")
      .orderBy('u.id');
    if (manager.connection.options.type === 'postgres') query.setLock('pessimistic_write');
    return (await query.getMany()).map((u) => u.id);
  }
}
