import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ManualsModule } from '../manuals/manuals.module';
import { SeedService } from './seed.service';

@Module({
  imports: [AccountsModule, ManualsModule],
  providers: [SeedService],
  exports: [SeedService],
})
export class SeedingModule {}
