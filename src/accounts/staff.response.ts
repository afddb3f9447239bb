import { formatInstant } from '../common/time';
import type { User } from './user.entity';

export class StaffResponse {
  id: string;
  email: string;
  name: string;
  role: 'staff' | 'librarian';
  /** Switched off by a librarian: cannot sign in. */
  disabled: boolean;
  createdAt: string;
}

export function toStaffResponse(user: User, zone: string): StaffResponse {
  return {
    id: user.id,
    email: user.email ?? '',
    name: user.name,
    role: user.role === 'librarian' ? 'librarian' : 'staff',
    disabled: Boolean(user.disabledAt),
    createdAt: formatInstant(user.createdAt, zone),
  };
}
