import { PickType } from '@nestjs/swagger';
import { CreateBookingDto } from './create-booking.dto';

export class RescheduleBookingDto extends PickType(CreateBookingDto, ['start', 'end'] as const) {}
