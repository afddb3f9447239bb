import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { Session } from './session.entity';
import { SignInFailure } from './sign-in-failure.entity';
import { SignInLocks } from './sign-in-locks';
import { SessionGuard } from './session.guard';
import { User } from './user.entity';

@Module({
  imports: [TypeOrmModule.forFeature([User, Session, SignInFailure])],
  controllers: [AuthController],
  providers: [AccountsService, SessionGuard, SignInLocks],
  exports: [AccountsService, SessionGuard],
})
export class AccountsModule {}
