import type { GroupUsage } from './usage';
import type { CategoryUsage, DeviceUsage, UsageReport } from './reports.service';

class UsageFiguresResponse {
  bookings: number;
  hoursBooked: number;
  hoursOpen: number;
  /** Hours booked over hours open, as a percentage with one decimal. */
  utilisation: number;
  noShows: number;
  cancellations: number;
  uniquePatrons: number;
  /** Kits handed over in the period. */
  loans: number;
  /** Local days in the period that kits spent out after their due date. */
  overdueDays: number;
}

export class DeviceUsageResponse extends UsageFiguresResponse implements DeviceUsage {
  /** Equipment slug. */
  equipment: string;
  name: string;
  /** Category slug. */
  category: string;
  /** `station` or `loan`. */
  kind: string;
}

export class CategoryUsageResponse extends UsageFiguresResponse implements CategoryUsage {
  /** Category slug. */
  category: string;
  devices: number;
}

export class GroupUsageResponse implements GroupUsage {
  /** The patron group (`adult`, `teen`, `child` or the ILS's patron type). */
  group: string;
  bookings: number;
  hoursBooked: number;
  noShows: number;
  cancellations: number;
  uniquePatrons: number;
}

export class UsageReportResponse implements UsageReport {
  from: string;
  to: string;
  timezone: string;
  devices: DeviceUsageResponse[];
  categories: CategoryUsageResponse[];
  /** Bookings per patron group, by each patron's group today. */
  groups: GroupUsageResponse[];
}
