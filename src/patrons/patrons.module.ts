import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CertificationsModule } from '../certifications/certifications.module';
import { EquipmentModule } from '../equipment/equipment.module';
import { PatronsController } from './patrons.controller';

/** The desk's view of patrons and the signed-in user's own profile. */
@Module({
  imports: [AccountsModule, CertificationsModule, EquipmentModule],
  controllers: [PatronsController],
})
export class PatronsModule {}
