import { AreasModule } from '../areas/areas.module';
import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BookingsModule } from '../bookings/bookings.module';
import { CertificationsModule } from '../certifications/certifications.module';
import { EquipmentModule } from '../equipment/equipment.module';
import { HoursModule } from '../hours/hours.module';
import { ImagesModule } from '../images/images.module';
import { LoansModule } from '../loans/loans.module';
import { ManualsModule } from '../manuals/manuals.module';
import { ReportsModule } from '../reports/reports.module';
import { AccountPagesController } from './account-pages.controller';
import { AccountSecretsController } from './account-secrets.controller';
import { AdminStaffController } from './admin-staff.controller';
import { AdminEquipmentController } from './admin-equipment.controller';
import { AdminHoursController } from './admin-hours.controller';
import { AdminManualEditorController } from './admin-manual-editor.controller';
import { AdminManualsController } from './admin-manuals.controller';
import { DeskApprovalsController } from './desk-approvals.controller';
import { DeskBookingsController } from './desk-bookings.controller';
import { DeskLoansController } from './desk-loans.controller';
import { DeskSeriesController } from './desk-series.controller';
import { DeskPagesController } from './desk.controller';
import { DeskPatronsController } from './desk-patrons.controller';
import { FaviconController } from './favicon.controller';
import { LabController } from './lab.controller';
import { ManualPagesController } from './manual-pages.controller';
import { NotificationsModule } from '../notifications/notifications.module';
import { MyBookingsController } from './my-bookings.controller';
import { Pages } from './pages.service';
import { ReportsPagesController } from './reports-pages.controller';
import { SchedulePagesController } from './schedule.controller';
import { VerifyPagesController } from './verify-pages.controller';

/** Server-rendered pages over the same services the API uses; they work without JavaScript. */
@Module({
  imports: [
    AccountsModule,
    AreasModule,
    BookingsModule,
    CertificationsModule,
    EquipmentModule,
    HoursModule,
    ImagesModule,
    LoansModule,
    ManualsModule,
    NotificationsModule,
    ReportsModule,
  ],
  controllers: [
    FaviconController,
    LabController,
    SchedulePagesController,
    AccountPagesController,
    AccountSecretsController,
    MyBookingsController,
    ManualPagesController,
    DeskPagesController,
    DeskPatronsController,
    DeskBookingsController,
    DeskApprovalsController,
    DeskLoansController,
    DeskSeriesController,
    ReportsPagesController,
    AdminEquipmentController,
    AdminHoursController,
    AdminManualsController,
    AdminManualEditorController,
    AdminStaffController,
    VerifyPagesController,
  ],
  providers: [Pages],
})
export class WebModule {}
