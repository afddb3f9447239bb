import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Repository } from 'typeorm';
import { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { toDbInstant } from '../database/instant';
import { WriteTransactionService } from '../database/write-transaction.service';
import { Booking } from './booking.entity';
import { BookingNotifier } from './booking-notifier';
import { WaitlistService } from './waitlist.service';

const BATCH = 200;

export interface SweepReport {
  noShows: number;
  reminders: number;
  expiredWaits: number;
}

/**
 * The every-minute jobs. Each one claims a row with a conditional UPDATE before any side effect,
 * so with several instances on one database every no-show is marked once and every reminder
 * sent once: the instance whose UPDATE changed the row does the rest.
 */
@Injectable()
export class BookingSweeps {
  private readonly logger = new Logger(BookingSweeps.name);

  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly waitlist: WaitlistService,
    private readonly notifier: BookingNotifier,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async run(now: Date): Promise<SweepReport> {
    return {
      noShows: await this.markNoShows(now),
      reminders: await this.sendReminders(now),
      expiredWaits: await this.waitlist.expire(now),
    };
  }

  /**
   * Bookings not checked in within the grace period release their time; the row stays. A loan
   * kit's booking starts at midnight, so it is released only when its first day has passed
   * without the kit being picked up.
   */
  async markNoShows(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.noShowGraceMinutes * 60_000);
    // The shortest local day has 23 hours; the exact end of the first day is checked below.
    const loanCutoff = new Date(now.getTime() - 23 * 3_600_000);
    const candidates = await this.bookings
      .createQueryBuilder('b')
      .innerJoinAndSelect('b.equipment', 'e')
      .where("b.status = 'confirmed'")
      .andWhere(
        "((e.kind <> 'loan' AND b.start_at <= :cutoff) OR (e.kind = 'loan' AND b.start_at <= :loanCutoff))",
        { cutoff: toDbInstant(cutoff), loanCutoff: toDbInstant(loanCutoff) },
      )
      .orderBy('b.start_at')
      .take(BATCH)
      .getMany();
    const late: Booking[] = [];
    for (const b of candidates) {
      if (b.equipment.kind !== 'loan') {
        late.push(b);
        continue;
      }
      const firstDayEnds = DateTime.fromJSDate(b.start, { zone: this.config.timezone })
        .plus({ days: 1 })
        .toJSDate();
      if (firstDayEnds <= now && !(await this.heldUp(b))) late.push(b);
    }
    let marked = 0;
    for (const booking of late) {
      const claimed = await this.writes.run(async (manager) => {
        const result = await manager
          .createQueryBuilder()
          .update(Booking)
          .set({ status: 'no_show', noShowAt: now, updatedAt: now, sequence: booking.sequence + 1 })
          .where("id = :id AND status = 'confirmed'", { id: booking.id })
          .execute();
        if (!result.affected) return false;
        await this.audit.record(manager, null, {
          action: 'booking.no_show',
          subjectType: 'booking',
          subject: booking.code,
        });
        await this.suspendIfRepeated(manager, booking.patronId, now);
        await this.notifier.tell(manager, 'no_show', booking.id);
        return true;
      });
      if (!claimed) continue;
      marked += 1;
      await this.waitlist.promote(booking.equipmentId, { start: now, end: booking.blockedUntil });
    }
    return marked;
  }

  /**
   * Whether a kit reservation could not be picked up because the kit was still out with an
   * earlier borrower on its first day: that is no fault of the patron, so it is not a no-show.
   * Staff see such reservations among the late kits on the desk and settle them.
   */
  private async heldUp(reservation: Booking): Promise<boolean> {
    return this.bookings
      .createQueryBuilder('b')
      .where('b.equipment_id = :device AND b.id <> :id AND b.start_at < :start', {
        device: reservation.equipmentId,
        id: reservation.id,
        start: toDbInstant(reservation.start),
      })
      .andWhere(
        "(b.status = 'checked_in' OR (b.status = 'completed' AND b.completed_at > :dayStart))",
        { dayStart: toDbInstant(reservation.start) },
      )
      .getExists();
  }

  private async suspendIfRepeated(
    manager: Parameters<Parameters<WriteTransactionService['run']>[0]>[0],
    patronId: string,
    now: Date,
  ): Promise<void> {
    const since = new Date(now.getTime() - this.config.noShowWindowDays * 86_400_000);
    const count = await manager
      .createQueryBuilder(Booking, 'b')
      .where("b.patron_id = :patron AND b.status = 'no_show' AND b.no_show_at > :since", {
        patron: patronId,
        since: toDbInstant(since),
      })
      .getCount();
    if (count < this.config.noShowLimit) return;
    const until = new Date(now.getTime() + this.config.suspensionDays * 86_400_000);
    await manager
      .createQueryBuilder()
      .update(User)
      .set({ suspendedUntil: until })
      .where('id = :id AND (suspended_until IS NULL OR suspended_until < :until)', {
        id: patronId,
        until: toDbInstant(until),
      })
      .execute();
    this.logger.log(`Booking paused for patron ${patronId} after ${count} no-shows`);
  }

  /** One reminder per booking, `reminderHours` before it starts. */
  async sendReminders(now: Date): Promise<number> {
    const horizon = new Date(now.getTime() + this.config.reminderHours * 3_600_000);
    const due = await this.bookings
      .createQueryBuilder('b')
      .where("b.status = 'confirmed' AND b.reminder_sent_at IS NULL")
      .andWhere('b.start_at > :now AND b.start_at <= :horizon', {
        now: toDbInstant(now),
        horizon: toDbInstant(horizon),
      })
      .orderBy('b.start_at')
      .take(BATCH)
      .getMany();
    let sent = 0;
    for (const booking of due) {
      const claimed = await this.writes.run(async (manager) => {
        const claim = await manager
          .createQueryBuilder()
          .update(Booking)
          .set({ reminderSentAt: now })
          .where("id = :id AND reminder_sent_at IS NULL AND status = 'confirmed'", {
            id: booking.id,
          })
          .execute();
        if (!claim.affected) return false;
        await this.notifier.tell(manager, 'reminder', booking.id);
        return true;
      });
      if (!claimed) continue;
      sent += 1;
    }
    return sent;
  }
}
