import { Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { houseStyle } from '../common/house-style';
import { AppConfig } from '../config/app-config';
import { toDbInstant } from '../database/instant';
import { WriteTransactionService } from '../database/write-transaction.service';
import { Booking } from './booking.entity';
import { BookingLifecycle } from './booking-lifecycle.service';
import { BookingNotifier } from './booking-notifier';
import { BookingsRepository } from './bookings.repository';
import { WaitlistService } from './waitlist.service';

const BATCH = 200;

export interface SweepReport {
  noShows: number;
  reminders: number;
  expiredWaits: number;
  expiredRequests: number;
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
    private readonly bookings: BookingsRepository,
    private readonly lifecycle: BookingLifecycle,
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
      expiredRequests: await this.expireRequests(now),
    };
  }

  /**
   * Pending bookings nobody approved or denied in time release their time, and the patron is
   * told. Like a denial, this is never counted against the patron.
   */
  async expireRequests(now: Date): Promise<number> {
    const due = await this.bookings.undecidedBy(now, BATCH);
    let expired = 0;
    for (const booking of due) {
      const claimed = await this.writes.run(async (manager) => {
        const applied = await this.lifecycle.apply(
          manager,
          booking,
          booking.equipment.kind,
          'expire',
          {
            cancelledAt: now,
            decidedAt: now,
            decisionReason: 'Not decided in time',
            updatedAt: now,
            sequence: booking.sequence + 1,
          },
        );
        if ('refused' in applied || !applied.claimed) return false;
        await this.audit.record(manager, null, {
          action: 'booking.expired',
          subjectType: 'booking',
          subject: booking.code,
        });
        await this.notifier.tell(manager, 'expired', booking.id);
        return true;
      });
      if (!claimed) continue;
      expired += 1;
      await this.waitlist.promote(booking.equipmentId, {
        start: booking.start > now ? booking.start : now,
        end: booking.blockedUntil,
      });
    }
    return expired;
  }

  /**
   * Bookings not checked in within the grace period release their time; the row stays. The grace
   * counts from when the booking could first be used (`usableFrom`): a booking made or promoted
   * from the waitlist into a slot that has begun gets the whole grace period. A loan
   * kit's booking starts at midnight, so it is released only when its first day has passed
   * without the kit being picked up.
   */
  async markNoShows(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.noShowGraceMinutes * 60_000);
    // The shortest local day has 23 hours; the exact end of the first day is checked below.
    const loanCutoff = new Date(now.getTime() - 23 * 3_600_000);
    const candidates = await this.bookings.noShowCandidates(
      { cutoff, kitCutoff: loanCutoff },
      BATCH,
    );
    const late: typeof candidates = [];
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
        const applied = await this.lifecycle.apply(
          manager,
          booking,
          booking.equipment.kind,
          'no_show',
          { noShowAt: now, updatedAt: now, sequence: booking.sequence + 1 },
        );
        if ('refused' in applied || !applied.claimed) return { claimed: false };
        await this.audit.record(manager, null, {
          action: 'booking.no_show',
          subjectType: 'booking',
          subject: booking.code,
        });
        const suspendedUntil = await this.suspendIfRepeated(manager, booking.patronId, now);
        await this.notifier.tell(manager, 'no_show', booking.id);
        if (suspendedUntil) {
          const until = houseStyle(this.config).dateTime(suspendedUntil, now);
          await this.notifier.tell(
            manager,
            'suspended',
            booking.id,
            `Booking is paused until ${until}.`,
          );
        }
        return { claimed: true };
      });
      if (!claimed.claimed) continue;
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
    return this.bookings.earlierLoanOutOn(reservation);
  }

  /**
   * Pauses booking for a patron with too many no-shows of their own. Only `no_show` counts: a
   * booking the lab displaced, or one cancelled or still awaiting approval, never does. A patron
   * already paused is not paused again, so the e-mail and the audit entry come once. Returns
   * the end of a pause that starts now.
   */
  private async suspendIfRepeated(
    manager: EntityManager,
    patronId: string,
    now: Date,
  ): Promise<Date | null> {
    const since = new Date(now.getTime() - this.config.noShowWindowDays * 86_400_000);
    const count = await this.bookings.countNoShowsSince(manager, patronId, since);
    if (count < this.config.noShowLimit) return null;
    const until = new Date(now.getTime() + this.config.suspensionDays * 86_400_000);
    const paused = await manager
      .createQueryBuilder()
      .update(User)
      .set({ suspendedUntil: until })
      .where('id = :id AND (suspended_until IS NULL OR suspended_until <= :now)', {
        id: patronId,
        now: toDbInstant(now),
      })
      .execute();
    if (!paused.affected) return null;
    const patron = await manager.findOneByOrFail(User, { id: patronId });
    await this.audit.record(manager, null, {
      action: 'patron.suspended',
      subjectType: 'patron',
      subject: patron.cardNumber ?? patron.id,
      details: { until: until.toISOString(), noShows: count },
    });
    this.logger.log(`Booking paused for patron ${patronId} after ${count} no-shows`);
    return until;
  }

  /** One reminder per booking, `reminderHours` before it starts. */
  async sendReminders(now: Date): Promise<number> {
    const horizon = new Date(now.getTime() + this.config.reminderHours * 3_600_000);
    const due = await this.bookings.remindersDue(now, horizon, BATCH);
    let sent = 0;
    for (const booking of due) {
      const claimed = await this.writes.run(async (manager) => {
        if (!(await this.bookings.claimReminder(manager, booking.id, now))) return false;
        await this.notifier.tell(manager, 'reminder', booking.id);
        return true;
      });
      if (!claimed) continue;
      sent += 1;
    }
    return sent;
  }
}
