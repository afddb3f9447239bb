import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AreasModule } from '../areas/areas.module';
import { Closure } from './closure.entity';
import { HoursController } from './hours.controller';
import { HoursService } from './hours.service';
import { WeeklyHours } from './weekly-hours.entity';

@Module({
  imports: [TypeOrmModule.forFeature([WeeklyHours, Closure]), AreasModule],
  controllers: [HoursController],
  providers: [HoursService],
  exports: [HoursService],
})
export class HoursModule {}
