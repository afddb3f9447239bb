import { Injectable } from '@nestjs/common';

/** The current instant. Injected everywhere logic needs "now", so tests can stand on any day. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
