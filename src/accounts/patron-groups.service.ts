import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { patronGroupOn } from './patron-groups';
import { User } from './user.entity';

/** Patron groups: set by staff, read by the reports. */
@Injectable()
export class PatronGroupsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Staff put a patron in a group, or back to the group of their age (null); audited. */
  async setGroup(patron: User, group: string | null, staff: User): Promise<void> {
    const today = localDate(this.clock.now(), this.config.timezone);
    const from = patronGroupOn(patron, today);
    await this.writes.run(async (manager) => {
      await manager.update(User, { id: patron.id }, { patronGroup: group });
      await this.audit.record(manager, staff, {
        action: 'patron.group_changed',
        subjectType: 'patron',
        subject: patron.cardNumber ?? patron.id,
        details: { from, to: patronGroupOn({ ...patron, patronGroup: group }, today) },
      });
    });
    patron.patronGroup = group;
  }

  /** Each patron's group today, by id. */
  async groupsById(ids: string[]): Promise<Map<string, string>> {
    const today = localDate(this.clock.now(), this.config.timezone);
    const groups = new Map<string, string>();
    const unique = [...new Set(ids)];
    // In slices, well under SQLite's limit on bound parameters.
    for (let i = 0; i < unique.length; i += 500) {
      const patrons = await this.users.find({
        select: { id: true, patronGroup: true, birthDate: true },
        where: { id: In(unique.slice(i, i + 500)) },
      });
      for (const p of patrons) groups.set(p.id, patronGroupOn(p, today));
    }
    return groups;
  }
}
