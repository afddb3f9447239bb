import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CertificationsModule } from '../certifications/certifications.module';
import { AccountsModule } from '../accounts/accounts.module';
import { EquipmentModule } from '../equipment/equipment.module';
import { ImagesModule } from '../images/images.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ManualProgress } from './manual-progress.entity';
import { ManualRevision } from './manual-revision.entity';
import { Manual } from './manual.entity';
import { ManualSender } from './manual-sender.service';
import { ManualsImporter } from './manuals-importer.service';
import { ManualsController } from './manuals.controller';
import { ManualsService } from './manuals.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Manual, ManualRevision, ManualProgress]),
    EquipmentModule,
    ImagesModule,
    CertificationsModule,
    AccountsModule,
    NotificationsModule,
  ],
  controllers: [ManualsController],
  providers: [ManualsService, ManualsImporter, ManualSender],
  exports: [ManualsService, ManualsImporter, ManualSender],
})
export class ManualsModule {}
