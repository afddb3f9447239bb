import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { toDbInstant } from '../database/instant';
import { queryNamed } from '../database/named-query';
import { appendRow, RowReader } from '../database/rows';
import { WriteTransactionService } from '../database/write-transaction.service';
import { EquipmentService } from '../equipment/equipment.service';
import type { BookingNotice, NoticeKind } from './booking-notice';
import { MailService, errorMessage, type OutgoingMail } from './mail.service';
import { noticeMail, reviveNotice } from './notice-mail';
import { noticeSubject } from './notice-message';
import { OutboxMessage, OutboxPayload, OutboxStatus } from './outbox-message.entity';

/** How long an undelivered message is tried before it is given up as failed. */
export const GIVE_UP_AFTER_MS = 48 * 3_600_000;
/** At least this long a claim lasts, and always longer than one delivery can take. */
const SHORTEST_CLAIM_MS = 15 * 60_000;
const FIRST_RETRY_MS = 30_000;
/** How long a held notice waits for its release before it goes as it was queued. */
export const HOLD_MS = 5 * 60_000;
const LONGEST_RETRY_MS = 3_600_000;
/** The most messages one claim takes. */
const MOST_IN_CLAIM = 20;
const DAY_MS = 86_400_000;

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
}

/**
 * The mail outbox. Features queue a notice inside the write transaction of the change it reports;
 * `deliverDue` claims what is due, up to twenty messages at a time, with a conditional UPDATE so
 * that with several instances every message goes once, then sends them one at a time. Each
 * outcome is recorded as soon as it is known, and the next message goes out without waiting for
 * that record: on SQLite the records join whichever transaction of the queue of writes comes next
 * (a busy lab's bookings keep it full, and a worker that waited a turn to claim and another to
 * record each message spent most of its time waiting). One at a time, not several: each message
 * costs 4–5 ms of the server's CPU to write, and while the server is saturated, patrons'
 * requests come first; the mail waits. A crash between sending and recording leaves the
 * claim to run out, and the message goes again: a duplicate rather than a loss.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);
  private draining: Promise<DeliveryReport> | null = null;

  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly writes: WriteTransactionService,
    private readonly mail: MailService,
    private readonly equipment: EquipmentService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues the patron's notice of `kind` about one booking, in the caller's transaction. A `held`
   * notice waits for `release` (which may add to it what is only known after the commit); if that
   * never comes, the worker sends it as it was queued after `HOLD_MS`, so it is never lost.
   */
  async queueNotice(
    manager: EntityManager,
    kind: NoticeKind,
    notice: BookingNotice,
    held = false,
  ): Promise<string> {
    return this.queue(
      manager,
      {
        kind,
        recipient: notice.patronEmail,
        subject: noticeSubject(kind, notice, this.config, this.clock.now()),
        bookingId: notice.bookingId,
        payload: { type: 'booking', kind, notice },
      },
      held,
    );
  }

  /** Lets a held notice go, with `extra` in place of the paragraph it was queued with. */
  async release(manager: EntityManager, id: string, extra: string): Promise<void> {
    const message = await manager.findOneBy(OutboxMessage, { id, status: 'held' });
    if (!message || message.payload.type !== 'booking') return;
    await manager.update(
      OutboxMessage,
      { id, status: 'held' },
      {
        status: 'pending',
        payload: { ...message.payload, notice: { ...message.payload.notice, extra } },
      },
    );
  }

  /** Queues a message written out in full, in the caller's transaction. */
  async queueMail(
    manager: EntityManager,
    mail: { to: string; subject: string; text: string },
  ): Promise<void> {
    await this.queue(manager, {
      kind: 'mail',
      recipient: mail.to,
      subject: mail.subject,
      bookingId: null,
      payload: { type: 'mail', ...mail },
    });
  }

  private async queue(
    manager: EntityManager,
    message: Pick<OutboxMessage, 'kind' | 'recipient' | 'subject' | 'bookingId' | 'payload'>,
    held = false,
  ): Promise<string> {
    const now = this.clock.now();
    const id = randomUUID();
    // Every column is given, so nothing needs reading back.
    await appendRow(manager, OutboxMessage, {
      ...message,
      id,
      subject: oneLine(message.subject).slice(0, 300),
      status: !message.recipient ? 'skipped' : held ? 'held' : 'pending',
      attempts: 0,
      createdAt: now,
      nextAttemptAt: now,
      giveUpAt: new Date(now.getTime() + GIVE_UP_AFTER_MS),
      claimedUntil: null,
      claimToken: null,
      sentAt: null,
      lastError: message.recipient ? null : 'The patron has no e-mail address.',
    });
    return id;
  }

  /**
   * Sends every message due at `now` and reports what happened. Concurrent calls in one process
   * share one pass. When the mail server fails, the rest wait for the next pass.
   */
  deliverDue(now: Date = this.clock.now()): Promise<DeliveryReport> {
    this.draining ??= this.drain(now).finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drain(now: Date): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
    await this.releaseForgotten(now);
    for (;;) {
      // A long pass claims with the time it has reached, so its later claims do not start spent.
      const at = new Date(Math.max(now.getTime(), this.clock.now().getTime()));
      const token = randomUUID();
      const claimed = await this.claimDue(at, token);
      if (claimed.length === 0) return report;
      const records = new Records();
      let messages: OutboxMessage[];
      try {
        messages = await this.withManuals(claimed);
      } catch (error) {
        for (const message of claimed)
          report[this.tryLater(message, at, error, this.recorder(message, token, records))] += 1;
        await records.written();
        return report;
      }
      let stopped = false;
      for (const [i, message] of messages.entries()) {
        // What might not be sent before the claim runs out goes back, to be claimed afresh,
        // rather than risk going twice.
        if (this.clock.now().getTime() - at.getTime() > this.claimMs() - this.deliveryMs()) {
          records.add(this.unclaim(messages.slice(i), token));
          break;
        }
        const outcome = await this.deliverOne(message, token, at, records);
        report[outcome] += 1;
        if (outcome === 'retrying') {
          // The mail server is failing: the rest wait for the next pass, unclaimed.
          records.add(this.unclaim(messages.slice(i + 1), token));
          stopped = true;
          break;
        }
      }
      await records.written();
      if (stopped) return report;
    }
  }

  /** Connecting, greeting and the answer to the message may each take the SMTP timeout. */
  private deliveryMs(): number {
    return 4 * this.config.smtpTimeoutSeconds * 1000;
  }

  /** A claim outlasts at least one delivery, so a message is never sent by two instances. */
  private claimMs(): number {
    return Math.max(SHORTEST_CLAIM_MS, 2 * this.deliveryMs());
  }

  /** Held notices whose release never came (the process died after the commit) go as queued. */
  private async releaseForgotten(now: Date): Promise<void> {
    const before = new Date(now.getTime() - HOLD_MS);
    const forgotten = await this.messages
      .createQueryBuilder('n')
      .where("n.status = 'held' AND n.created_at <= :before", { before: toDbInstant(before) })
      .getExists();
    if (!forgotten) return;
    await this.writes.run((manager) =>
      manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ status: 'pending' })
        .where("status = 'held' AND created_at <= :before", { before: toDbInstant(before) })
        .execute(),
    );
  }

  /**
   * Claims the messages due first, in one statement that reads them back: the claim is the only
   * write, needing no transaction of its own. On PostgreSQL messages another instance is claiming
   * at that moment are passed over (`SKIP LOCKED`), so two instances never spend a statement on
   * the same message; SQLite's writes take turns.
   */
  private async claimDue(now: Date, token: string): Promise<OutboxMessage[]> {
    const reader = (this.reader ??= new RowReader(
      this.messages.manager.connection,
      OutboxMessage,
      'notifications',
    ));
    const answer = await this.writes.single((manager) =>
      queryNamed<unknown>(
        manager,
        `UPDATE notifications SET claimed_until = :until, claim_token = :token
         WHERE id IN (SELECT id FROM notifications
           WHERE status = 'pending' AND next_attempt_at <= :now
             AND (claimed_until IS NULL OR claimed_until <= :now)
           ORDER BY next_attempt_at LIMIT ${MOST_IN_CLAIM}${this.writes.onPostgres ? ' FOR UPDATE SKIP LOCKED' : ''})
         RETURNING ${reader.columns}`,
        {
          until: toDbInstant(new Date(now.getTime() + this.claimMs())),
          token,
          now: toDbInstant(now),
        },
      ),
    );
    // An UPDATE's answer as TypeORM gives it: its rows and count on PostgreSQL, its rows on SQLite.
    const rows = (this.writes.onPostgres ? answer[0] : answer) as Record<string, unknown>[];
    // RETURNING keeps no order: they go out in the order they came due.
    return rows
      .map((row) => reader.entityOf(row))
      .sort(
        (a, b) =>
          a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() ||
          a.createdAt.getTime() - b.createdAt.getTime(),
      );
  }

  /** Gives claimed messages back unsent, for the next pass. */
  private async unclaim(messages: OutboxMessage[], token: string): Promise<void> {
    if (messages.length === 0) return;
    await this.writes.single((manager) =>
      manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ claimedUntil: null, claimToken: null })
        .where('id IN (:...ids) AND claim_token = :token', {
          ids: messages.map((m) => m.id),
          token,
        })
        .execute(),
    );
  }

  private reader?: RowReader<OutboxMessage>;

  /** Records an outcome of `message` among the claim's `records`, releasing its claim. */
  private recorder(
    message: OutboxMessage,
    token: string,
    records: Records,
  ): (changes: Partial<OutboxMessage>) => void {
    return (changes) => records.add(this.finish(message.id, token, changes));
  }

  private async deliverOne(
    message: OutboxMessage,
    token: string,
    now: Date,
    records: Records,
  ): Promise<keyof DeliveryReport> {
    const record = this.recorder(message, token, records);
    let mail: OutgoingMail | null;
    try {
      mail = render(message.payload, this.config, now);
    } catch (error) {
      record({ status: 'failed', lastError: `Could not be written: ${errorMessage(error)}` });
      return 'failed';
    }
    if (!mail) {
      record({ status: 'skipped', lastError: 'The patron has no e-mail address.' });
      return 'skipped';
    }
    try {
      await this.mail.send(mail);
    } catch (error) {
      return this.tryLater(message, now, error, record);
    }
    record({ status: 'sent', attempts: message.attempts + 1, sentAt: now, lastError: null });
    return 'sent';
  }

  /** A failed try: the message goes again later, or is given up once its time is over. */
  private tryLater(
    message: OutboxMessage,
    now: Date,
    error: unknown,
    record: (changes: Partial<OutboxMessage>) => void,
  ): 'failed' | 'retrying' {
    const attempts = message.attempts + 1;
    const giveUp = now >= message.giveUpAt;
    record({
      status: giveUp ? 'failed' : 'pending',
      attempts,
      nextAttemptAt: new Date(now.getTime() + retryDelay(attempts)),
      lastError: errorMessage(error).slice(0, 1000),
    });
    if (giveUp) this.logger.error(`Gave up on "${message.subject}" after ${attempts} tries.`);
    return giveUp ? 'failed' : 'retrying';
  }

  /**
   * A booking notice names the device's walkthroughs as they are when it is written, looked up
   * here (for all the claimed messages at once) rather than in the transaction of the change it
   * reports.
   */
  private async withManuals(messages: OutboxMessage[]): Promise<OutboxMessage[]> {
    const devices = new Set<string>();
    for (const { payload } of messages)
      if (payload.type === 'booking' && !payload.notice.manualSlugs && payload.notice.deviceId)
        devices.add(payload.notice.deviceId);
    if (devices.size === 0) return messages;
    const links = await this.equipment.manualLinks([...devices]);
    return messages.map((message) => {
      const { payload } = message;
      if (payload.type !== 'booking' || payload.notice.manualSlugs || !payload.notice.deviceId)
        return message;
      const manualSlugs = (links.get(payload.notice.deviceId) ?? []).map((link) => link.slug);
      return Object.assign(new OutboxMessage(), message, {
        payload: { ...payload, notice: { ...payload.notice, manualSlugs } },
      });
    });
  }

  /** Records the outcome, releasing the claim; a claim that ran out and was taken is left alone. */
  private async finish(id: string, token: string, changes: Partial<OutboxMessage>): Promise<void> {
    await this.writes.single((manager) =>
      manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ ...changes, claimedUntil: null, claimToken: null })
        .where('id = :id AND claim_token = :token', { id, token })
        .execute(),
    );
  }

  /** The outbox for staff, newest first. */
  async list(status: OutboxStatus | undefined, limit = 100): Promise<OutboxMessage[]> {
    return this.messages.find({
      where: status ? { status } : {},
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  async counts(): Promise<Record<OutboxStatus, number>> {
    const rows = await this.messages
      .createQueryBuilder('n')
      .select('n.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .where("n.status IN ('pending', 'failed')")
      .groupBy('n.status')
      .getRawMany<{ status: OutboxStatus; count: string | number }>();
    const counts: Record<OutboxStatus, number> = {
      pending: 0,
      held: 0,
      failed: 0,
      sent: 0,
      skipped: 0,
    };
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }

  /** A failed message goes again, with another 48 hours of tries. */
  async retry(id: string): Promise<OutboxMessage> {
    const now = this.clock.now();
    await this.writes.run(async (manager) => {
      const message = await manager.findOneBy(OutboxMessage, { id });
      if (!message) throw new NotFoundException('There is no such message.');
      await manager.update(
        OutboxMessage,
        { id },
        {
          status: 'pending',
          nextAttemptAt: now,
          giveUpAt: new Date(now.getTime() + GIVE_UP_AFTER_MS),
          claimedUntil: null,
          claimToken: null,
        },
      );
    });
    return this.messages.findOneByOrFail({ id });
  }

  /**
   * Forgets delivered messages and deletes `.eml` files older than `OUTBOX_KEEP_DAYS`, so a busy
   * lab without an SMTP server does not fill its disk with copies of its mail.
   */
  async prune(now: Date = this.clock.now()): Promise<{ records: number; files: number }> {
    const before = new Date(now.getTime() - this.config.outboxKeepDays * DAY_MS);
    const result = await this.writes.run((manager) =>
      manager
        .createQueryBuilder()
        .delete()
        .from(OutboxMessage)
        .where("status IN ('sent', 'skipped') AND created_at < :before", {
          before: toDbInstant(before),
        })
        .execute(),
    );
    return { records: result.affected ?? 0, files: await this.pruneFiles(before) };
  }

  private async pruneFiles(before: Date): Promise<number> {
    const folder = this.mail.outboxFolder;
    if (!folder) return 0;
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      if (!name.endsWith('.eml')) continue;
      const path = join(folder, name);
      try {
        if ((await stat(path)).mtime < before) {
          await unlink(path);
          removed += 1;
        }
      } catch (error) {
        this.logger.warn(`Could not prune ${path}: ${errorMessage(error)}`);
      }
    }
    return removed;
  }
}

/**
 * The records of one claim's outcomes, written while the next message goes out; a failure to
 * write one is thrown once they have all settled.
 */
class Records {
  private readonly pending: Promise<void>[] = [];
  private failure: { error: unknown } | null = null;

  add(write: Promise<void>): void {
    // Caught at once: a rejection nobody handles yet would end the process.
    this.pending.push(
      write.catch((error: unknown) => {
        this.failure ??= { error };
      }),
    );
  }

  async written(): Promise<void> {
    await Promise.all(this.pending);
    if (this.failure) throw this.failure.error;
  }
}

function render(payload: OutboxPayload, config: AppConfig, now: Date): OutgoingMail | null {
  if (payload.type === 'mail')
    return { to: payload.to, subject: payload.subject, text: payload.text };
  return noticeMail(payload.kind, reviveNotice(payload.notice), config, now);
}

/** 30 s, 1 min, 2 min, … up to an hour between tries. */
export function retryDelay(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}

/** Control characters (line breaks above all) have no place in a subject line. */
function oneLine(text: string): string {
  return [...text].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c)).join('');
}
