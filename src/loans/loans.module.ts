import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BookingsModule } from '../bookings/bookings.module';
import { EquipmentModule } from '../equipment/equipment.module';
import { LoansController } from './loans.controller';
import { LoansScheduler } from './loans.scheduler';
import { LoansService } from './loans.service';
import { OverdueLoansService } from './overdue-loans.service';

@Module({
  imports: [AccountsModule, BookingsModule, EquipmentModule],
  controllers: [LoansController],
  providers: [LoansService, OverdueLoansService, LoansScheduler],
  exports: [LoansService, OverdueLoansService],
})
export class LoansModule {}
