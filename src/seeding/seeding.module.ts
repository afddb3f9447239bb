import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AreasModule } from '../areas/areas.module';
import { ManualsModule } from '../manuals/manuals.module';
import { SeedService } from './seed.service';

@Module({
  imports: [AccountsModule, AreasModule, ManualsModule],
  providers: [SeedService],
  exports: [SeedService],
})
export class SeedingModule {}
