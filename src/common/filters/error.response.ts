/** The body of every error the API answers (`ErrorFilter` shapes it). */
export class ErrorResponse {
  /** The HTTP status again, e.g. `422`. */
  statusCode: number;
  /** The status in words, e.g. `Unprocessable Entity`. */
  error: string;
  /** What went wrong and what to do, in words for the person using the app; names the field when the input is at fault. */
  message: string;
  /** A stable code from the contract, e.g. `SLOT_TAKEN`, when the refusal has one. */
  code?: string;
  /** A refused recurring series (`SERIES_CONFLICTS`): each occurrence that could not be booked, and why. */
  conflicts?: SeriesConflictItem[];
}

export class SeriesConflictItem {
  start: string;
  end: string;
  /** The refusal a single booking of that time would get, e.g. `SLOT_TAKEN`, `CLOSED`. */
  code: string;
  message: string;
}
