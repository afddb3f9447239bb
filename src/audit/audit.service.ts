import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { Clock } from '../common/clock';
import { toDbInstant } from '../database/instant';
import { appendRow } from '../database/rows';
import { AuditDetails, AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  action: string;
  subjectType: string;
  subject: string;
  details?: AuditDetails;
}

export interface AuditQuery {
  from?: Date;
  to?: Date;
  action?: string;
  subject?: string;
  limit?: number;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly clock: Clock,
  ) {}

  /** Records inside the caller's write transaction, so the change and its record stand or fall together. */
  async record(manager: EntityManager, actor: User | null, entry: AuditEntry): Promise<void> {
    await appendRow(manager, AuditEvent, {
      ...new AuditEvent(),
      at: this.clock.now(),
      actorId: actor?.id ?? null,
      actor: actor ? `${actor.name} (${actor.role})` : 'system',
      action: entry.action,
      subjectType: entry.subjectType,
      subject: entry.subject,
      details: entry.details ?? null,
    });
  }

  list(query: AuditQuery): Promise<AuditEvent[]> {
    const builder = this.events
      .createQueryBuilder('a')
      .orderBy('a.at', 'DESC')
      .take(query.limit ?? 200);
    if (query.from) builder.andWhere('a.at >= :from', { from: toDbInstant(query.from) });
    if (query.to) builder.andWhere('a.at < :to', { to: toDbInstant(query.to) });
    if (query.action) builder.andWhere('a.action = :action', { action: query.action });
    if (query.subject) builder.andWhere('a.subject = :subject', { subject: query.subject });
    return builder.getMany();
  }
}
