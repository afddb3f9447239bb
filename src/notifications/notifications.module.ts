import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EquipmentModule } from '../equipment/equipment.module';
import { MailService } from './mail.service';
import { NotificationsController } from './notifications.controller';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxScheduler } from './outbox.scheduler';
import { OutboxService } from './outbox.service';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage]), EquipmentModule],
  controllers: [NotificationsController],
  providers: [MailService, OutboxService, OutboxScheduler],
  exports: [OutboxService],
})
export class NotificationsModule {}
