import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { Session } from './session.entity';
import { SessionGuard } from './session.guard';
import { User } from './user.entity';

@Module({
  imports: [TypeOrmModule.forFeature([User, Session])],
  controllers: [AuthController],
  providers: [AccountsService, SessionGuard],
  exports: [AccountsService, SessionGuard],
})
export class AccountsModule {}
