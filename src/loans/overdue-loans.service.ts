import { Injectable } from '@nestjs/common';
import { BookingNotifier } from '../bookings/booking-notifier';
import { BookingsRepository, type BookingWithParties } from '../bookings/bookings.repository';
import { houseStyle } from '../common/house-style';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { dueDate, overdueDays } from '../bookings/overdue-kit';

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
    private readonly bookings: BookingsRepository,
    private readonly notifier: BookingNotifier,
    private readonly writes: WriteTransactionService,
    private readonly config: AppConfig,
  ) {}

  async list(now: Date): Promise<OverdueLoan[]> {
    const loans = await this.bookings.overdueKits(now);
    const overdue: OverdueLoan[] = [];
    for (const loan of loans) {
      const collisions = await this.bookings.confirmedFrom(loan.equipmentId, loan.start);
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
    const late = await this.bookings.overdueKitsUnnoticed(now, BATCH);
    let sent = 0;
    for (const loan of late) {
      const due = houseStyle(this.config).date(dueDate(loan.end, this.config.timezone), now);
      const claimed = await this.writes.run(async (manager) => {
        if (!(await this.bookings.claimOverdueNotice(manager, loan.id, now))) return false;
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
}
