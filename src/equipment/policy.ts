/** How a device may be booked. Minutes throughout, except `maxAdvanceDays`. */
export interface BookingPolicy {
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  bufferMinutes: number;
  maxAdvanceDays: number;
  minNoticeMinutes: number;
  maxActivePerPatron: number;
  maxMinutesPerWeek: number;
  /** The patron groups that may book; unset or empty: every group. */
  groups?: string[];
  /** Minutes a patron may book a day across the devices of one category. */
  maxMinutesPerDay?: number;
  /** Bookings by patrons wait (`pending`, holding their time) until staff approve them. */
  requiresApproval?: boolean;
  /** Hours staff have to decide a pending booking before it lapses (never past its start). */
  approvalHours?: number;
}

/** Staff have two days to decide a booking that needs approval, unless the policy says otherwise. */
export const DEFAULT_APPROVAL_HOURS = 48;

/** The numeric settings every policy has. */
export type NumericPolicyKey = Exclude<keyof BookingPolicy, OptionalPolicyKey | 'groups'>;
export type OptionalPolicyKey = 'maxMinutesPerDay' | 'requiresApproval' | 'approvalHours';

export const OPTIONAL_POLICY_KEYS: OptionalPolicyKey[] = [
  'maxMinutesPerDay',
  'requiresApproval',
  'approvalHours',
];

export const POLICY_KEYS: NumericPolicyKey[] = [
  'slotMinutes',
  'minMinutes',
  'maxMinutes',
  'bufferMinutes',
  'maxAdvanceDays',
  'minNoticeMinutes',
  'maxActivePerPatron',
  'maxMinutesPerWeek',
];

/** The device's own settings over its category's defaults. */
export function effectivePolicy(
  categoryDefaults: BookingPolicy,
  overrides: Partial<BookingPolicy> | null,
): BookingPolicy {
  const policy: Record<string, unknown> = { ...categoryDefaults };
  for (const key of [...POLICY_KEYS, ...OPTIONAL_POLICY_KEYS]) {
    const value = overrides?.[key];
    if (value !== undefined && value !== null) policy[key] = value;
  }
  if (overrides?.groups?.length) policy.groups = [...overrides.groups];
  return policy as unknown as BookingPolicy;
}

/** Problems that make a policy unusable, each naming its field; empty when it is sound. */
export function policyProblems(policy: BookingPolicy): string[] {
  const problems: string[] = [];
  if (policy.minMinutes > policy.maxMinutes)
    problems.push('policy.minMinutes must not exceed policy.maxMinutes');
  if (policy.minMinutes % policy.slotMinutes !== 0)
    problems.push('policy.minMinutes must be a multiple of policy.slotMinutes');
  if (policy.maxMinutes % policy.slotMinutes !== 0)
    problems.push('policy.maxMinutes must be a multiple of policy.slotMinutes');
  if (policy.maxMinutesPerWeek < policy.minMinutes)
    problems.push('policy.maxMinutesPerWeek must allow at least policy.minMinutes');
  if (policy.maxMinutesPerDay !== undefined && policy.maxMinutesPerDay < policy.minMinutes)
    problems.push('policy.maxMinutesPerDay must allow at least policy.minMinutes');
  return problems;
}

/** How long staff have to decide a pending booking made at `now` for `start`. */
export function decideBy(policy: BookingPolicy, now: Date, start: Date): Date {
  const hours = policy.approvalHours ?? DEFAULT_APPROVAL_HOURS;
  return new Date(Math.min(now.getTime() + hours * 3_600_000, start.getTime()));
}
