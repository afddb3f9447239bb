import { PickType } from '@nestjs/swagger';
import { CreateBookingDto } from './create-booking.dto';

export class JoinWaitlistDto extends PickType(CreateBookingDto, [
  'equipment',
  'start',
  'end',
] as const) {}
