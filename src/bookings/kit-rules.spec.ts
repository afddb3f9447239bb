import { kitAtTheLoanDeskOnly, onlyKitsDue } from './kit-rules';

describe(kitAtTheLoanDeskOnly.name, () => {
  it.each([
    ['station', 'check_in', null],
    ['station', 'complete', null],
    ['loan', 'check_in', 'Camera kit is a loan kit. Hand it over at the loan desk'],
    ['loan', 'complete', 'Camera kit is a loan kit. Take it back at the loan desk'],
  ] as const)('a %s on %s: %s', (kind, event, expected) => {
    const refused = kitAtTheLoanDeskOnly({ name: 'Camera kit', kind }, event);
    if (expected === null) expect(refused).toBeNull();
    else
      expect(refused).toEqual({
        code: 'USE_THE_LOAN_DESK',
        message: expect.stringContaining(expected),
      });
  });
});

describe(onlyKitsDue.name, () => {
  it.each([
    [1, 'Ada has only a loan kit due today'],
    [2, 'Ada has only 2 loan kits due today'],
  ])('tells the desk that %i kit(s) go to the loan desk', (count, expected) => {
    const refused = onlyKitsDue('Ada', count);
    expect(refused.code).toBe('USE_THE_LOAN_DESK');
    expect(refused.message).toContain(expected);
    expect(refused.message).toContain('/desk/loans');
  });
});
