import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Certification } from './certification.entity';
import { CertificationsService } from './certifications.service';

@Module({
  imports: [TypeOrmModule.forFeature([Certification])],
  providers: [CertificationsService],
  exports: [CertificationsService],
})
export class CertificationsModule {}
