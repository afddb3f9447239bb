import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { IsLocalDate } from '../../common/validators';

/** The desk scans the kit's asset tag and the patron's card, and ticks off the parts. */
export class CheckOutLoanDto {
  /** The asset tag on the kit's case, e.g. `DML-0017`. */
  @IsString()
  @Length(1, 40, { message: 'assetTag must be the 1 to 40 characters on the kit’s label' })
  assetTag: string;

  /** The borrowing patron's library card number. */
  @Matches(/^\d{6,20}$/, { message: 'cardNumber must be 6 to 20 digits' })
  cardNumber: string;

  /** The parts of the kit's checklist handed over; every part when left out. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'partsPresent must not name a part twice' })
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  partsPresent?: string[];

  /**
   * A walk-in with no reservation: the last day of the loan (`YYYY-MM-DD`, today or later). The
   * kit is booked from today to that day under the kit's rules and handed over at once, in one
   * step; if either part is refused, nothing is booked.
   */
  @IsOptional()
  @IsLocalDate()
  returnDate?: string;
}
