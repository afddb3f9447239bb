import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AreasModule } from '../areas/areas.module';
import { BookingsModule } from '../bookings/bookings.module';
import { EquipmentModule } from '../equipment/equipment.module';
import { HoursModule } from '../hours/hours.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [AccountsModule, AreasModule, BookingsModule, EquipmentModule, HoursModule],
  controllers: [ReportsController],
  providers: [ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
