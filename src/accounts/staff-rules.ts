export interface StaffRefusal {
  code: string;
  message: string;
}

export interface StaffAccountState {
  role: 'staff' | 'librarian';
  disabled: boolean;
}

/**
 * Someone must always be able to manage the lab: a change that would leave no active librarian
 * (demoting or switching off the last one) is refused.
 */
export function keepsALibrarian(
  before: StaffAccountState,
  after: StaffAccountState,
  otherActiveLibrarians: number,
): StaffRefusal | null {
  const wasActiveLibrarian = before.role === 'librarian' && !before.disabled;
  const staysActiveLibrarian = after.role === 'librarian' && !after.disabled;
  if (!wasActiveLibrarian || staysActiveLibrarian || otherActiveLibrarians > 0) return null;
  return {
    code: 'LAST_LIBRARIAN',
    message:
      'This is the last active librarian account. Make another account a librarian first, so someone can still manage the lab.',
  };
}
