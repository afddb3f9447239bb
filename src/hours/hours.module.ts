import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Closure } from './closure.entity';
import { HoursController } from './hours.controller';
import { HoursService } from './hours.service';
import { WeeklyHours } from './weekly-hours.entity';

@Module({
  imports: [TypeOrmModule.forFeature([WeeklyHours, Closure])],
  controllers: [HoursController],
  providers: [HoursService],
  exports: [HoursService],
})
export class HoursModule {}
