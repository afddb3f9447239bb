import { BookingPolicy, effectivePolicy, policyProblems } from './policy';

const defaults: BookingPolicy = {
  slotMinutes: 30,
  minMinutes: 30,
  maxMinutes: 120,
  bufferMinutes: 0,
  maxAdvanceDays: 14,
  minNoticeMinutes: 0,
  maxActivePerPatron: 2,
  maxMinutesPerWeek: 360,
};

describe(effectivePolicy.name, () => {
  it('takes the device setting over the category default and leaves the rest', () => {
    expect(effectivePolicy(defaults, { maxMinutes: 180, bufferMinutes: 15 })).toEqual({
      ...defaults,
      maxMinutes: 180,
      bufferMinutes: 15,
    });
  });

  it('is the category default when the device sets nothing', () => {
    expect(effectivePolicy(defaults, null)).toEqual(defaults);
  });
});

describe(policyProblems.name, () => {
  it.each([
    [{}, []],
    [{ minMinutes: 240 }, ['policy.minMinutes must not exceed policy.maxMinutes']],
    [{ minMinutes: 45 }, ['policy.minMinutes must be a multiple of policy.slotMinutes']],
    [{ maxMinutes: 100 }, ['policy.maxMinutes must be a multiple of policy.slotMinutes']],
    [{ maxMinutesPerWeek: 20 }, ['policy.maxMinutesPerWeek must allow at least policy.minMinutes']],
  ])('for %p finds %p', (overrides, problems) => {
    expect(policyProblems({ ...defaults, ...overrides })).toEqual(problems);
  });
});
