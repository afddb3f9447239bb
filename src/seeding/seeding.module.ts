import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { SeedService } from './seed.service';

@Module({
  imports: [AccountsModule],
  providers: [SeedService],
  exports: [SeedService],
})
export class SeedingModule {}
