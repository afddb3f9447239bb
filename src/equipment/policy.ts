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
  /** Questions asked on booking; answers are kept with the booking. */
  questions?: BookingQuestion[];
  /** Terms a patron must accept to book (`acceptTerms: true`). */
  terms?: string;
  /** Minutes a patron may book a day across the devices of one category. */
  maxMinutesPerDay?: number;
  /** The oldest age that may book (`TOO_OLD` above it). */
  maxAge?: number;
  /** Bookings by patrons wait (`pending`, holding their time) until staff approve them. */
  requiresApproval?: boolean;
  /** Hours staff have to decide a pending booking before it lapses (never past its start). */
  approvalHours?: number;
}

export type QuestionType = 'text' | 'number' | 'choice' | 'yes-no';
export const QUESTION_TYPES: QuestionType[] = ['text', 'number', 'choice', 'yes-no'];

/** A question asked when booking, e.g. "What will you record?". */
export interface BookingQuestion {
  /** Short id the answers are keyed by, e.g. `project`. */
  id: string;
  label: string;
  type: QuestionType;
  required: boolean;
  /** The choices, for `choice`. */
  options?: string[];
}

/** Staff have two days to decide a booking that needs approval, unless the policy says otherwise. */
export const DEFAULT_APPROVAL_HOURS = 48;

/** The numeric settings every policy has. */
export type NumericPolicyKey = Exclude<
  keyof BookingPolicy,
  OptionalPolicyKey | 'groups' | 'questions' | 'terms'
>;
export type OptionalPolicyKey =
  'maxMinutesPerDay' | 'maxAge' | 'requiresApproval' | 'approvalHours';

export const OPTIONAL_POLICY_KEYS: OptionalPolicyKey[] = [
  'maxMinutesPerDay',
  'maxAge',
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
  // A device's own questions or terms replace its category's; an empty list or text removes them.
  if (overrides?.questions !== undefined) policy.questions = overrides.questions;
  if (overrides?.terms !== undefined) policy.terms = overrides.terms;
  return policy as unknown as BookingPolicy;
}

const heldPolicies = new WeakMap<object, BookingPolicy>();

/**
 * `effectivePolicy` of a device held in the catalog cache, worked out once per device object:
 * availability asks it of every device on every request. Only for objects nobody changes (the
 * cache replaces, never edits, what it holds); a device being edited takes `effectivePolicy`.
 */
export function heldPolicy(device: {
  category: { policy: BookingPolicy };
  policyOverrides: Partial<BookingPolicy> | null;
}): BookingPolicy {
  let policy = heldPolicies.get(device);
  if (!policy) {
    policy = effectivePolicy(device.category.policy, device.policyOverrides);
    heldPolicies.set(device, policy);
  }
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
  const ids = (policy.questions ?? []).map((q) => q.id);
  if (new Set(ids).size !== ids.length) problems.push('policy.questions must have different ids');
  for (const q of policy.questions ?? [])
    if (q.type === 'choice' && !q.options?.length)
      problems.push(`policy.questions "${q.id}" is a choice and needs options`);
  if (policy.maxMinutesPerDay !== undefined && policy.maxMinutesPerDay < policy.minMinutes)
    problems.push('policy.maxMinutesPerDay must allow at least policy.minMinutes');
  return problems;
}

/** How long staff have to decide a pending booking made at `now` for `start`. */
export function decideBy(policy: BookingPolicy, now: Date, start: Date): Date {
  const hours = policy.approvalHours ?? DEFAULT_APPROVAL_HOURS;
  return new Date(Math.min(now.getTime() + hours * 3_600_000, start.getTime()));
}
