import {
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { BookingEngine } from '../bookings/booking-engine.service';
import { BookingLifecycle } from '../bookings/booking-lifecycle.service';
import { BookingNotifier } from '../bookings/booking-notifier';
import { DisplacementService, type LabChange } from '../bookings/displacement.service';
import { BookingsRepository, type BookingWithParties } from '../bookings/bookings.repository';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { Equipment } from '../equipment/equipment.entity';
import { EquipmentService } from '../equipment/equipment.service';
import { CheckOutLoanDto } from './dto/check-out-loan.dto';
import { ReturnLoanDto } from './dto/return-loan.dto';
import { notOut, refuseIfOutOfService, refuseUnknownParts } from './loan-refusals';
import { dueDate, overdueDays } from '../bookings/overdue-kit';

/** The desk hands loan kits over against a reservation and takes them back. */
@Injectable()
export class LoansService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly lifecycle: BookingLifecycle,
    private readonly accounts: AccountsService,
    private readonly equipment: EquipmentService,
    private readonly engine: BookingEngine,
    private readonly displacement: DisplacementService,
    private readonly notifier: BookingNotifier,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Hands the kit over on the patron's reservation that covers today, or, for a walk-in with a
   * `returnDate`, books it from today to that day and hands it over in the same transaction, so a
   * refused hand-over never leaves a booking behind.
   */
  async checkOut(staff: User, dto: CheckOutLoanDto): Promise<BookingWithParties> {
    const kit = await this.kitTagged(dto.assetTag);
    const patron = await this.accounts.findPatronByCard(dto.cardNumber);
    if (!patron) {
      throw new NotFoundException({
        code: 'UNKNOWN_CARD',
        message: `No patron has card number ${dto.cardNumber}.`,
      });
    }
    const parts = kit.parts ?? [];
    const partsOut = dto.partsPresent ?? parts;
    refuseUnknownParts('partsPresent', partsOut, parts, kit.name);
    const now = this.clock.now();
    const walkIn = dto.returnDate === undefined ? null : this.walkInDays(dto.returnDate, now);
    const id = await this.writes.run(async (manager) => {
      await this.refuseIfStillOut(manager, kit);
      await refuseIfOutOfService(manager, kit);
      const reservation = walkIn
        ? await this.bookWalkIn(manager, staff, kit, patron, walkIn)
        : await this.reservationFor(manager, kit, patron, now);
      const handedOver = await this.lifecycle.apply(manager, reservation, kit.kind, 'hand_over', {
        checkedInAt: now,
        checkedOutById: staff.id,
        partsOut,
        updatedAt: now,
      });
      if ('refused' in handedOver || !handedOver.claimed)
        throw notOut('This reservation has just been changed. Please try again.');
      const notHandedOver = parts.filter((p) => !partsOut.includes(p));
      await this.audit.record(manager, staff, {
        action: 'loan.checked_out',
        subjectType: 'booking',
        subject: reservation.code,
        details: {
          equipment: kit.slug,
          assetTag: kit.assetTag,
          patron: patron.cardNumber,
          parts: partsOut.length,
          notHandedOver: notHandedOver.length ? notHandedOver.join('; ') : null,
        },
      });
      if (walkIn) await this.notifier.tell(manager, 'confirmed', reservation.id);
      return reservation.id;
    });
    return this.bookings.getWithParties(id);
  }

  /** From the start of today to the midnight after the return day, in the library's zone. */
  private walkInDays(returnDate: string, now: Date): { start: Date; end: Date } {
    const zone = this.config.timezone;
    const today = localDate(now, zone);
    if (returnDate < today) {
      throw new UnprocessableEntityException({
        code: 'IN_THE_PAST',
        message: 'The return day is before today. Pick today or a later day.',
      });
    }
    return {
      start: DateTime.fromISO(today, { zone }).startOf('day').toJSDate(),
      end: DateTime.fromISO(returnDate, { zone }).plus({ days: 1 }).startOf('day').toJSDate(),
    };
  }

  /** Books a walk-in under the kit's rules, as the desk books any walk-in. */
  private async bookWalkIn(
    manager: EntityManager,
    staff: User,
    kit: Equipment,
    patron: User,
    request: { start: Date; end: Date },
  ): Promise<Pick<BookingWithParties, 'id' | 'status' | 'code'>> {
    const booking = await this.engine.place(manager, {
      device: kit,
      patron,
      request,
      createdById: staff.id,
      walkIn: true,
    });
    await this.audit.record(manager, staff, {
      action: 'booking.created',
      subjectType: 'booking',
      subject: booking.code,
      details: {
        equipment: kit.slug,
        patron: patron.cardNumber,
        start: booking.start.toISOString(),
        end: booking.end.toISOString(),
      },
    });
    return booking;
  }

  /**
   * Takes a kit back: the loan is finished. A kit back damaged or with parts missing goes out of
   * service in the same transaction, so it cannot be booked or lent again until staff clear it.
   */
  async return(staff: User, id: string, dto: ReturnLoanDto): Promise<BookingWithParties> {
    const loan = await this.bookings.findWithParties(id);
    if (!loan) throw new NotFoundException('There is no such loan.');
    if (loan.equipment.kind !== 'loan') {
      throw new UnprocessableEntityException({
        code: 'NOT_A_LOAN_KIT',
        message: `${loan.equipment.name} is used in the lab, not lent out; finish the booking instead.`,
      });
    }
    const missingParts = dto.missingParts ?? [];
    refuseUnknownParts(
      'missingParts',
      missingParts,
      loan.partsOut ?? loan.equipment.parts ?? [],
      loan.equipment.name,
    );
    const now = this.clock.now();
    // A kit back damaged or incomplete goes out of service in the same transaction, and the
    // reservations it can no longer serve are displaced with it: the lab's loss, never a
    // patron's no-show.
    await this.displacement.apply(
      false,
      staff,
      async (manager) => {
        const current = await this.bookings.get(id, manager);
        const taken = await this.lifecycle.apply(
          manager,
          current,
          loan.equipment.kind,
          'take_back',
          {
            completedAt: now,
            returnedById: staff.id,
            returnCondition: dto.condition.trim(),
            missingParts,
            notes: dto.notes ?? loan.notes,
            updatedAt: now,
          },
        );
        if ('refused' in taken || !taken.claimed) {
          const { status } = await this.bookings.get(id, manager);
          throw notOut(
            status === 'completed'
              ? 'This kit has already been returned.'
              : `This loan is ${status.replace('_', ' ')}: the kit was never checked out.`,
          );
        }
        await this.audit.record(manager, staff, {
          action: 'loan.returned',
          subjectType: 'booking',
          subject: loan.code,
          details: {
            equipment: loan.equipment.slug,
            patron: loan.patron.cardNumber,
            condition: dto.condition.trim(),
            missingParts: missingParts.length ? missingParts.join('; ') : null,
            overdueDays: overdueDays(loan.end, now, this.config.timezone),
          },
        });
        const reasons = [
          dto.damaged ? 'damaged' : null,
          missingParts.length ? 'parts missing' : null,
        ];
        const reason = reasons.filter((r) => r !== null).join('; ');
        if (!reason) return false;
        return this.takeOutOfService(manager, staff, loan, reason, now);
      },
      (outOfService): LabChange | null =>
        outOfService
          ? {
              kind: 'out_of_service',
              deviceId: loan.equipmentId,
              reason: `The ${loan.equipment.name} came back ${howBack(dto.damaged, missingParts)} and is out of service until it is put right.`,
            }
          : null,
    );
    return this.bookings.getWithParties(id);
  }

  /** Only a kit in use goes out of service; a retired one stays retired. Says whether it went. */
  private async takeOutOfService(
    manager: EntityManager,
    staff: User,
    loan: BookingWithParties,
    reason: string,
    now: Date,
  ): Promise<boolean> {
    const changed = await manager
      .createQueryBuilder()
      .update(Equipment)
      .set({ status: 'out_of_service', updatedAt: now })
      .where("id = :id AND status = 'available'", { id: loan.equipmentId })
      .execute();
    if (!changed.affected) return false;
    await this.audit.record(manager, staff, {
      action: 'equipment.out_of_service',
      subjectType: 'equipment',
      subject: loan.equipment.slug,
      details: { booking: loan.code, reason },
    });
    return true;
  }

  /** The loan kit carrying this asset tag (any case, stray spaces), or a 404/422 saying why not. */
  async kitTagged(assetTag: string): Promise<Equipment> {
    const kit = await this.equipment.findByAssetTag(assetTag);
    if (!kit) {
      throw new NotFoundException({
        code: 'UNKNOWN_ASSET_TAG',
        message: `No equipment carries the asset tag ${assetTag.trim()}. Check the label on the case.`,
      });
    }
    if (kit.kind !== 'loan') {
      throw new UnprocessableEntityException({
        code: 'NOT_A_LOAN_KIT',
        message: `${kit.name} (${kit.assetTag}) stays in the lab and cannot be checked out.`,
      });
    }
    return kit;
  }

  /** A kit still out with someone cannot be handed to the next patron until it is returned. */
  private async refuseIfStillOut(manager: EntityManager, kit: Equipment): Promise<void> {
    await this.bookings.lockDevice(manager, kit.id);
    const out = await this.bookings.outNow(manager, kit.id);
    if (!out) return;
    const due = houseStyle(this.config).date(
      dueDate(out.end, this.config.timezone),
      this.clock.now(),
    );
    throw new ConflictException({
      code: 'KIT_STILL_OUT',
      message: `${kit.name} is still out on loan (due back ${due}). Take it back with a return first.`,
    });
  }

  /** The patron's reservation of the kit that covers now. */
  private async reservationFor(
    manager: EntityManager,
    kit: Equipment,
    patron: User,
    now: Date,
  ): Promise<Pick<BookingWithParties, 'id' | 'status' | 'code'>> {
    const reservation = await this.bookings.nextConfirmedOfPatron(manager, {
      kitId: kit.id,
      patronId: patron.id,
      now,
    });
    if (reservation && reservation.start <= now) return reservation;
    throw new UnprocessableEntityException({
      code: 'NO_RESERVATION',
      message: reservation
        ? `${patron.name}'s reservation of ${kit.name} starts ${houseStyle(this.config).date(reservation.start, now)}; it can be checked out from that day.`
        : `${patron.name} has no reservation of ${kit.name} for today. Book it for them first, then check it out.`,
    });
  }
}

/** How a kit that goes out of service came back, in words for the patrons it lets down. */
function howBack(damaged: boolean | undefined, missingParts: string[]): string {
  if (damaged && missingParts.length) return 'damaged and with parts missing';
  return damaged ? 'damaged' : 'with parts missing';
}
