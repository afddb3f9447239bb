import { formatInstant, formatNullableInstant } from '../common/time';
import type { Certification } from './certification.entity';

export class CertificationResponse {
  equipment: string;
  equipmentName: string;
  grantedAt: string;
  /** Name of the staff member who gave the orientation; null when earned through a walkthrough. */
  grantedBy: string | null;
  expiresAt: string | null;
  /** False once it has expired. */
  current: boolean;
}

export function toCertificationResponse(
  certification: Certification,
  zone: string,
  now: Date,
): CertificationResponse {
  return {
    equipment: certification.equipment.slug,
    equipmentName: certification.equipment.name,
    grantedAt: formatInstant(certification.grantedAt, zone),
    grantedBy: certification.grantedBy?.name ?? null,
    expiresAt: formatNullableInstant(certification.expiresAt, zone),
    current: !certification.expiresAt || certification.expiresAt > now,
  };
}
