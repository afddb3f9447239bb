import { BookingResponse } from '../bookings/booking.response';
import { formatNullableInstant } from '../common/time';
import type { Equipment, EquipmentKind, EquipmentStatus } from './equipment.entity';
import type { EquipmentService } from './equipment.service';
import { BookingPolicy, effectivePolicy, type QuestionType } from './policy';

/** The booking rules of a device, in minutes and days. */
export class PolicyResponse implements BookingPolicy {
  /** Bookings start and end on this grid, in minutes. */
  slotMinutes: number;
  /** The shortest booking. */
  minMinutes: number;
  /** The longest booking. */
  maxMinutes: number;
  /** Time kept free after each booking (cleaning, cooling, resetting). */
  bufferMinutes: number;
  /** How many days ahead a patron may book. */
  maxAdvanceDays: number;
  /** How long before the start a booking must be made. */
  minNoticeMinutes: number;
  /** Upcoming bookings a patron may hold on this device at once. */
  maxActivePerPatron: number;
  /** Minutes a patron may book in one week. */
  maxMinutesPerWeek: number;
  /** Minutes a patron may book a day across the category's devices (`DAILY_LIMIT`). */
  maxMinutesPerDay?: number;
  /** The oldest age that may book; unset: no limit (`TOO_OLD`). */
  maxAge?: number;
  /** The patron groups that may book; unset: every group (`GROUP_RESTRICTED`). */
  groups?: string[];
  /** Patrons' bookings wait as `pending`, holding their time, until staff approve or deny them. */
  requiresApproval?: boolean;
  /** Hours staff have to decide a pending booking before it lapses (48 unless set). */
  approvalHours?: number;
  /** Questions asked on booking; answers go in the booking as `answers: {id: value}`. */
  questions?: BookingQuestionResponse[];
  /** Terms a patron must accept to book (`acceptTerms: true`). */
  terms?: string;
}

export class BookingQuestionResponse {
  id: string;
  label: string;
  /** `text`, `number`, `choice` or `yes-no`. */
  type: QuestionType;
  required: boolean;
  /** The choices, for `choice`. */
  options?: string[];
}

export class ManualLink {
  slug: string;
  title: string;
}

export class EquipmentPhoto {
  /** `/api/images/<sha256>.<ext>`, relative to the service. */
  src: string;
  alt: string;
}

export class EquipmentResponse {
  slug: string;
  name: string;
  category: string;
  categoryName: string;
  /** The area it is in (its desk, hours and closures), e.g. `dml`, `teen-room`. */
  area: string;
  kind: EquipmentKind;
  status: EquipmentStatus;
  location: string;
  description: string;
  requiresOrientation: boolean;
  minAge: number;
  /** The booking rules in force: the device's own over its category's. */
  policy: PolicyResponse;
  assetTag: string | null;
  parts: string[];
  manuals: ManualLink[];
  /** Null when the device has no photo. */
  photo: EquipmentPhoto | null;
  retiredAt: string | null;
}

export function toEquipmentResponse(
  device: Equipment,
  zone: string,
  manuals: ManualLink[] = [],
): EquipmentResponse {
  return {
    slug: device.slug,
    name: device.name,
    category: device.categorySlug,
    categoryName: device.category.name,
    area: device.areaSlug,
    kind: device.kind,
    status: device.status,
    location: device.location,
    description: device.description,
    requiresOrientation: device.requiresOrientation,
    minAge: device.minAge,
    policy: effectivePolicy(device.category.policy, device.policyOverrides),
    assetTag: device.assetTag,
    parts: device.parts ?? [],
    manuals,
    photo:
      device.photoSrc && device.photoAlt ? { src: device.photoSrc, alt: device.photoAlt } : null,
    retiredAt: formatNullableInstant(device.retiredAt, zone),
  };
}

/** Devices as the API shows them, each with its walkthrough links (one query for all of them). */
export async function toEquipmentResponses(
  equipment: EquipmentService,
  devices: Equipment[],
  zone: string,
): Promise<EquipmentResponse[]> {
  const manuals = await equipment.manualLinks(devices.map((d) => d.id));
  return devices.map((d) => toEquipmentResponse(d, zone, manuals.get(d.id)));
}

export class EquipmentChangeResponse extends EquipmentResponse {
  /** Bookings the change took away (now `displaced`; on a preview, would be). */
  displaced: BookingResponse[];
}
