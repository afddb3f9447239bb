import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AreasModule } from '../areas/areas.module';
import { AccountsModule } from '../accounts/accounts.module';
import { CertificationsModule } from '../certifications/certifications.module';
import { EquipmentModule } from '../equipment/equipment.module';
import { Outage } from '../equipment/outage.entity';
import { HoursModule } from '../hours/hours.module';
import { ManualsModule } from '../manuals/manuals.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AvailabilityController } from './availability.controller';
import { AvailabilityService } from './availability.service';
import { Booking } from './booking.entity';
import { BookingEngine } from './booking-engine.service';
import { BookingLifecycle } from './booking-lifecycle.service';
import { BookingNotifier } from './booking-notifier';
import { BookingSweeps } from './booking-sweeps.service';
import { BookingsController } from './bookings.controller';
import { BookingsRepository } from './bookings.repository';
import { PatronFactsCache } from './patron-facts';
import { BookingsScheduler } from './bookings.scheduler';
import { BookingsService } from './bookings.service';
import { CalendarFeedController } from './calendar-feed.controller';
import { DeskController } from './desk.controller';
import { DisplacementService } from './displacement.service';
import { LabCatalog } from './lab-catalog';
import { LAB_CHANGES } from './lab-changes';
import { OutagesController } from './outages.controller';
import { OutagesService } from './outages.service';
import { ScheduleController } from './schedule.controller';
import { ScheduleService } from './schedule.service';
import { SeriesController } from './series.controller';
import { BookingSeries } from './series.entity';
import { SeriesService } from './series.service';
import { WaitlistEntry } from './waitlist-entry.entity';
import { WaitlistController } from './waitlist.controller';
import { WaitlistService } from './waitlist.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Booking, BookingSeries, WaitlistEntry, Outage]),
    AccountsModule,
    AreasModule,
    CertificationsModule,
    EquipmentModule,
    HoursModule,
    ManualsModule,
    NotificationsModule,
  ],
  controllers: [
    BookingsController,
    DeskController,
    AvailabilityController,
    WaitlistController,
    OutagesController,
    CalendarFeedController,
    ScheduleController,
    SeriesController,
  ],
  providers: [
    BookingsRepository,
    PatronFactsCache,
    BookingLifecycle,
    BookingEngine,
    BookingsService,
    AvailabilityService,
    WaitlistService,
    OutagesService,
    DisplacementService,
    { provide: LAB_CHANGES, useExisting: DisplacementService },
    BookingNotifier,
    BookingSweeps,
    BookingsScheduler,
    LabCatalog,
    ScheduleService,
    SeriesService,
  ],
  exports: [
    BookingsRepository,
    BookingLifecycle,
    BookingEngine,
    BookingsService,
    BookingSweeps,
    BookingNotifier,
    AvailabilityService,
    WaitlistService,
    OutagesService,
    DisplacementService,
    LAB_CHANGES,
    ScheduleService,
    SeriesService,
  ],
})
export class BookingsModule {}
