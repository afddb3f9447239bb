import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AreasModule } from '../areas/areas.module';
import { ImagesModule } from '../images/images.module';
import { Category } from './category.entity';
import { EquipmentController } from './equipment.controller';
import { Equipment } from './equipment.entity';
import { EquipmentService } from './equipment.service';
import { ManualLinksCache } from './manual-links-cache';

@Module({
  imports: [TypeOrmModule.forFeature([Equipment, Category]), ImagesModule, AreasModule],
  controllers: [EquipmentController],
  providers: [EquipmentService, ManualLinksCache],
  exports: [EquipmentService],
})
export class EquipmentModule {}
