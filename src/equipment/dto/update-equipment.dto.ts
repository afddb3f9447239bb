import { IsIn, IsOptional } from 'class-validator';
import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateEquipmentDto } from './create-equipment.dto';

export class UpdateEquipmentDto extends PartialType(
  OmitType(CreateEquipmentDto, ['slug'] as const),
) {
  /** Take a device out of service or bring it back; retire it with DELETE. */
  @IsOptional()
  @IsIn(['available', 'out_of_service'])
  status?: 'available' | 'out_of_service';
}
