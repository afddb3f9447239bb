import { Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AccountsModule } from './accounts/accounts.module';
import { AreasModule } from './areas/areas.module';
import { BookingsModule } from './bookings/bookings.module';
import { SessionGuard } from './accounts/session.guard';
import { CertificationsModule } from './certifications/certifications.module';
import { CommonModule } from './common/common.module';
import { ErrorFilter } from './common/filters/error.filter';
import { LoggingModule } from './common/logging.module';
import { RolesGuard } from './common/guards/roles.guard';
import { RequestShapePipe } from './common/pipes/request-shape.pipe';
import { throttlerOptions } from './common/rate-limits';
import { RateLimitsModule, SHARED_RATE_LIMITS } from './common/rate-limits.module';
import { AuditModule } from './audit/audit.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EquipmentModule } from './equipment/equipment.module';
import { HealthModule } from './health/health.module';
import { HoursModule } from './hours/hours.module';
import { LoansModule } from './loans/loans.module';
import { ImagesModule } from './images/images.module';
import { ManualsModule } from './manuals/manuals.module';
import { PatronsModule } from './patrons/patrons.module';
import { ReportsModule } from './reports/reports.module';
import { SeedingModule } from './seeding/seeding.module';
import { CsrfGuard } from './web/csrf';
import { WebModule } from './web/web.module';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitsModule],
      inject: [AppConfig, SHARED_RATE_LIMITS],
      useFactory: throttlerOptions,
    }),
    ScheduleModule.forRoot(),
    CommonModule,
    DatabaseModule,
    AuditModule,
    AccountsModule,
    ImagesModule,
    AreasModule,
    EquipmentModule,
    HoursModule,
    CertificationsModule,
    PatronsModule,
    BookingsModule,
    LoansModule,
    ManualsModule,
    ReportsModule,
    HealthModule,
    SeedingModule,
    WebModule,
  ],
  providers: [
    // Pipes run in the order given: the text check first, so validators never see broken Unicode.
    { provide: APP_PIPE, useClass: RequestShapePipe },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
      }),
    },
    { provide: APP_FILTER, useClass: ErrorFilter },
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: APP_GUARD, useExisting: SessionGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useClass: CsrfGuard },
  ],
})
export class AppModule {}
