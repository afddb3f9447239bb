import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { Sip2Module } from '../sip2/sip2.module';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { IlsPatronsService } from './ils-patrons.service';
import { OwnSecretController } from './own-secret.controller';
import { OwnSecretService } from './own-secret.service';
import { PatronGroupsService } from './patron-groups.service';
import { PatronVerificationService } from './patron-verification.service';
import { SecretLink } from './secret-link.entity';
import { SecretLinksService } from './secret-links.service';
import { Session } from './session.entity';
import { SignInFailure } from './sign-in-failure.entity';
import { SignInLocks } from './sign-in-locks';
import { SessionGuard } from './session.guard';
import { StaffController } from './staff.controller';
import { StaffService } from './staff.service';
import { User } from './user.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, Session, SignInFailure, SecretLink]),
    NotificationsModule,
    Sip2Module,
  ],
  controllers: [AuthController, OwnSecretController, StaffController],
  providers: [
    AccountsService,
    SessionGuard,
    SignInLocks,
    SecretLinksService,
    OwnSecretService,
    StaffService,
    IlsPatronsService,
    PatronGroupsService,
    PatronVerificationService,
  ],
  exports: [
    AccountsService,
    SessionGuard,
    SecretLinksService,
    OwnSecretService,
    StaffService,
    PatronGroupsService,
    PatronVerificationService,
  ],
})
export class AccountsModule {}
