import { formatNullableInstant } from '../common/time';
import type { AgeGroup } from './accounts.service';
import type { Role, User } from './user.entity';

export class UserResponse {
  id: string;
  role: Role;
  name: string;
  email: string | null;
  /** Patrons only. */
  cardNumber?: string;
  ageGroup: AgeGroup;
  /**
   * Patrons only: the group device policies are judged by (`adult`, `teen`, `child`, or the ILS's
   * patron type): set by staff or the ILS, else by age.
   */
  group?: string;
  /** Set while the patron may not book (no-shows, or a librarian's decision). */
  suspendedUntil?: string | null;
  /**
   * Patrons only: whether they may book, having confirmed their e-mail address or shown their card
   * at the desk (`false` only for a self-registration not yet confirmed).
   */
  verified?: boolean;
}

export function toUserResponse(
  user: User,
  ageGroup: AgeGroup,
  zone: string,
  group?: string,
): UserResponse {
  const response: UserResponse = {
    id: user.id,
    role: user.role,
    name: user.name,
    email: user.email,
    ageGroup,
  };
  if (user.role === 'patron') {
    response.cardNumber = user.cardNumber ?? undefined;
    response.group = group;
    response.suspendedUntil = formatNullableInstant(user.suspendedUntil, zone);
    response.verified = user.verifiedAt !== null;
  }
  return response;
}
