import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Repository } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { BookingNotifier, BookingWithParties } from '../bookings/booking-notifier';
import { AppConfig } from '../config/app-config';
import { toDbInstant } from '../database/instant';
import { WriteTransactionService } from '../database/write-transaction.service';
import { dueDate, overdueDays } from './overdue';

const BATCH = 200;

export interface OverdueLoan {
  loan: BookingWithParties;
  overdueDays: number;
  /** Later reservations of the kit: they cannot be handed over until it comes back. */
  collisions: BookingWithParties[];
}

/**
 * Kits still out after their due date. Their bookings keep the times they were booked for (the
 * database's no-overlap guarantee holds for those); the booking engine and availability treat
 * them as keeping the kit until it is returned, and the reservations after them are listed here
 * for the desk to sort out.
 */
@Injectable()
export class OverdueLoansService {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly notifier: BookingNotifier,
    private readonly writes: WriteTransactionService,
    private readonly config: AppConfig,
  ) {}

  async list(now: Date): Promise<OverdueLoan[]> {
    const loans = await this.overdue(now).innerJoinAndSelect('b.patron', 'p').getMany();
    const overdue: OverdueLoan[] = [];
    for (const loan of loans) {
      const collisions = await this.bookings
        .createQueryBuilder('b')
        .innerJoinAndSelect('b.equipment', 'e')
        .innerJoinAndSelect('e.category', 'c')
        .innerJoinAndSelect('b.patron', 'p')
        .where("b.equipment_id = :kit AND b.status = 'confirmed'", { kit: loan.equipmentId })
        .andWhere('b.start_at >= :start', { start: toDbInstant(loan.start) })
        .orderBy('b.start_at')
        .getMany();
      overdue.push({
        loan,
        overdueDays: overdueDays(loan.end, now, this.config.timezone),
        collisions,
      });
    }
    return overdue;
  }

  /**
   * E-mails each patron once whose kit is overdue, from the day after its due date. The notice
   * is claimed with a conditional UPDATE first, so several instances send it once between them.
   */
  async sendNotices(now: Date): Promise<number> {
    const late = await this.overdue(now)
      .andWhere('b.overdue_notice_sent_at IS NULL')
      .take(BATCH)
      .getMany();
    let sent = 0;
    for (const loan of late) {
      const due = DateTime.fromISO(dueDate(loan.end, this.config.timezone))
        .setLocale('en-US')
        .toFormat('ccc, LLL d');
      const claimed = await this.writes.run(async (manager) => {
        const claim = await manager
          .createQueryBuilder()
          .update(Booking)
          .set({ overdueNoticeSentAt: now })
          .where("id = :id AND status = 'checked_in' AND overdue_notice_sent_at IS NULL", {
            id: loan.id,
          })
          .execute();
        if (!claim.affected) return false;
        await this.notifier.tell(
          manager,
          'overdue',
          loan.id,
          `It was due back by closing on ${due}.`,
        );
        return true;
      });
      if (!claimed) continue;
      sent += 1;
    }
    return sent;
  }

  /** Loan kits handed over and not back by the end of their due date. */
  private overdue(now: Date) {
    return this.bookings
      .createQueryBuilder('b')
      .innerJoinAndSelect('b.equipment', 'e')
      .innerJoinAndSelect('e.category', 'c')
      .where("e.kind = 'loan' AND b.status = 'checked_in'")
      .andWhere('b.end_at <= :now', { now: toDbInstant(now) })
      .orderBy('b.end_at');
  }
}
