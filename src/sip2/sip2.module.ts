import { Module } from '@nestjs/common';
import { IlsService } from './ils.service';

/** Talking to the library's ILS over SIP2. */
@Module({ providers: [IlsService], exports: [IlsService] })
export class Sip2Module {}
