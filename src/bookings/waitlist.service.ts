import {
  BadRequestException,
  ConflictException,
  HttpException,
  Injectable,
  Logger,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { parseInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import { toDbInstant } from '../database/instant';
import { WriteTransactionService } from '../database/write-transaction.service';
import { EquipmentService } from '../equipment/equipment.service';
import { Booking, LIVE_STATUSES } from './booking.entity';
import { BookingsRepository } from './bookings.repository';
import { BookingEngine, refusalException } from './booking-engine.service';
import { BookingNotifier, BookingWithParties, PARTIES } from './booking-notifier';
import { JoinWaitlistDto } from './dto/waitlist.dto';
import { firstRefusal, Interval } from './rules';
import { WaitlistEntry } from './waitlist-entry.entity';

@Injectable()
export class WaitlistService {
  private readonly logger = new Logger(WaitlistService.name);

  constructor(
    @InjectRepository(WaitlistEntry) private readonly entries: Repository<WaitlistEntry>,
    private readonly bookings: BookingsRepository,
    private readonly engine: BookingEngine,
    private readonly equipment: EquipmentService,
    private readonly notifier: BookingNotifier,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Queue for a taken time. Refused when the patron already holds that time themselves, when the
   * time is free, or when the patron could not book it anyway.
   */
  async join(patron: User, dto: JoinWaitlistDto): Promise<WaitlistEntry> {
    const device = await this.equipment.get(dto.equipment);
    const request = { start: parseInstant(dto.start)!, end: parseInstant(dto.end)! };
    if (request.end <= request.start) throw new BadRequestException('end must be later than start');
    const id = await this.writes.run(async (manager) => {
      await this.engine.lockDevice(manager, device.id);
      const [own] = await this.ownLiveBookings(manager, patron.id, device.id, request);
      if (own) throw this.alreadyYours(device.name, own);
      const facts = await this.engine.facts(
        manager,
        { device, patron, request, createdById: patron.id, walkIn: false },
        null,
      );
      const refused = firstRefusal(facts);
      if (refused) throw refusalException(refused);
      const keeps = {
        start: request.start,
        end: new Date(request.end.getTime() + facts.policy.bufferMinutes * 60_000),
      };
      if (!(await this.engine.clash(manager, device.id, keeps, null))) {
        throw new UnprocessableEntityException({
          code: 'NOT_TAKEN',
          message: 'That time is free: book it instead of waiting.',
        });
      }
      const already = await manager.existsBy(WaitlistEntry, {
        patronId: patron.id,
        equipmentId: device.id,
        status: 'waiting',
        start: request.start,
        end: request.end,
      });
      if (already) throw new ConflictException('You are already on the waitlist for that time.');
      const last = await manager
        .createQueryBuilder(WaitlistEntry, 'w')
        .select('MAX(w.place)', 'place')
        .where('w.equipment_id = :device', { device: device.id })
        .getRawOne<{ place: number | string | null }>();
      const entry = manager.create(WaitlistEntry, {
        place: Number(last?.place ?? 0) + 1,
        equipmentId: device.id,
        patronId: patron.id,
        start: request.start,
        end: request.end,
        status: 'waiting',
        bookingId: null,
        createdAt: this.clock.now(),
      });
      await manager.insert(WaitlistEntry, entry);
      return entry.id;
    });
    return this.load(id);
  }

  /** The patron's own live bookings of the device within `time`: nothing to wait for there. */
  async heldBy(patron: User, deviceId: string, time: Interval): Promise<Interval[]> {
    const own = await this.ownLiveBookings(undefined, patron.id, deviceId, time);
    return own.map((b) => ({ start: b.start, end: b.end }));
  }

  /** The patron's own live bookings of the device overlapping `time`, earliest first. */
  private ownLiveBookings(
    manager: EntityManager | undefined,
    patronId: string,
    deviceId: string,
    time: Interval,
  ): Promise<Booking[]> {
    return this.bookings.ofPatronOverlapping(manager, {
      patronId,
      deviceId,
      statuses: LIVE_STATUSES,
      time,
    });
  }

  private alreadyYours(deviceName: string, own: Booking): UnprocessableEntityException {
    const when = houseStyle(this.config).range(own.start, own.end, this.clock.now());
    return new UnprocessableEntityException({
      code: 'ALREADY_YOURS',
      message: `You already have ${deviceName} booked ${when} (booking ${own.code}), so there is nothing to wait for. To change the time, move that booking instead.`,
    });
  }

  async list(patron: User): Promise<WaitlistEntry[]> {
    return this.entries.find({
      where: { patronId: patron.id },
      relations: PARTIES,
      order: { start: 'ASC' },
    });
  }

  /** The patron's place: 1 for the first in line for an overlapping time of the device. */
  async position(entry: WaitlistEntry): Promise<number | null> {
    if (entry.status !== 'waiting') return null;
    const ahead = await this.entries
      .createQueryBuilder('w')
      .where('w.equipment_id = :device AND w.status = :waiting', {
        device: entry.equipmentId,
        waiting: 'waiting',
      })
      .andWhere('w.start_at < :end AND w.end_at > :start', {
        start: toDbInstant(entry.start),
        end: toDbInstant(entry.end),
      })
      .andWhere('w.place < :place', { place: entry.place })
      .getCount();
    return ahead + 1;
  }

  async leave(patron: User, id: string): Promise<void> {
    const left = await this.writes.run((manager) =>
      manager.update(
        WaitlistEntry,
        { id, patronId: patron.id, status: 'waiting' },
        { status: 'left' },
      ),
    );
    if (!left.affected) throw new NotFoundException('You are not waiting for that.');
  }

  /**
   * Offers freed time to the queue in order of joining: each waiting patron whose time overlaps
   * and who still passes every rule gets the booking; those who do not keep their place.
   */
  async promote(deviceId: string, freed: Interval): Promise<BookingWithParties[]> {
    const now = this.clock.now();
    const waiting = await this.entries
      .createQueryBuilder('w')
      .innerJoinAndSelect('w.patron', 'p')
      .where('w.equipment_id = :device AND w.status = :waiting', {
        device: deviceId,
        waiting: 'waiting',
      })
      .andWhere('w.start_at < :end AND w.end_at > :start', {
        start: toDbInstant(freed.start),
        end: toDbInstant(freed.end),
      })
      .andWhere('w.end_at > :now', { now: toDbInstant(now) })
      .orderBy('w.place', 'ASC')
      .getMany();
    if (waiting.length === 0) return [];
    const device = await this.equipment.getById(deviceId);
    const promoted: BookingWithParties[] = [];
    for (const entry of waiting) {
      try {
        const bookingId = await this.writes.run(async (manager) => {
          if (await this.gaveUp(manager, entry)) {
            await manager.update(
              WaitlistEntry,
              { id: entry.id, status: 'waiting' },
              { status: 'left' },
            );
            return null;
          }
          const claimed = await manager.update(
            WaitlistEntry,
            { id: entry.id, status: 'waiting' },
            { status: 'promoted' },
          );
          if (!claimed.affected) return null;
          const booking = await this.engine.place(manager, {
            device,
            patron: entry.patron,
            request: { start: entry.start, end: entry.end },
            createdById: entry.patronId,
            walkIn: true,
          });
          await manager.update(WaitlistEntry, { id: entry.id }, { bookingId: booking.id });
          await this.audit.record(manager, null, {
            action: 'booking.from_waitlist',
            subjectType: 'booking',
            subject: booking.code,
            details: { patron: entry.patron.cardNumber },
          });
          const notice = booking.status === 'pending' ? 'requested' : 'waitlist_promoted';
          await this.notifier.tell(manager, notice, booking.id);
          return booking.id;
        });
        if (!bookingId) continue;
        promoted.push(await this.bookings.getWithParties(bookingId));
      } catch (error) {
        // Still taken (by an earlier entry) or no longer allowed: this patron keeps their place.
        if (!(error instanceof HttpException))
          this.logger.error(error instanceof Error ? error.stack : String(error));
      }
    }
    return promoted;
  }

  /**
   * Whether the patron cancelled a booking of their own that overlaps the time they wait for, after
   * joining: they gave that time up, so freeing it must not hand it straight back to them (it goes
   * to whoever is next), and they leave the queue for it.
   */
  private gaveUp(manager: EntityManager, entry: WaitlistEntry): Promise<boolean> {
    return this.bookings.cancelledByPatronSince(manager, {
      patronId: entry.patronId,
      deviceId: entry.equipmentId,
      since: entry.createdAt,
      time: entry,
    });
  }

  /** Entries for times that have passed leave the queue. */
  async expire(now: Date): Promise<number> {
    const result = await this.writes.run((manager) =>
      manager
        .createQueryBuilder()
        .update(WaitlistEntry)
        .set({ status: 'expired' })
        .where('status = :waiting AND end_at <= :now', {
          waiting: 'waiting',
          now: toDbInstant(now),
        })
        .execute(),
    );
    return result.affected ?? 0;
  }

  private async load(id: string): Promise<WaitlistEntry> {
    return this.entries.findOneOrFail({ where: { id }, relations: PARTIES });
  }
}
