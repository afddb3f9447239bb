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
}

/** The numeric settings; `groups` is the one list. */
export type NumericPolicyKey = Exclude<keyof BookingPolicy, 'groups'>;

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
  const policy = { ...categoryDefaults };
  for (const key of POLICY_KEYS) {
    const value = overrides?.[key];
    if (value !== undefined && value !== null) policy[key] = value;
  }
  if (overrides?.groups?.length) policy.groups = [...overrides.groups];
  return policy;
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
  return problems;
}
