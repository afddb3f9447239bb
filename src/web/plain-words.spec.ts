import { fieldWords, plainMessage } from './plain-words';

describe(plainMessage.name, () => {
  const equipment = {
    'policy.minMinutes must not exceed policy.maxMinutes':
      'Shortest booking must not be longer than the longest booking',
    'policy.minMinutes': 'Shortest booking',
    'policy.slotMinutes': 'Time grid',
  };

  it.each([
    [
      'policy.minMinutes must not exceed policy.maxMinutes',
      'Shortest booking must not be longer than the longest booking',
    ],
    [
      'policy.minMinutes must be a multiple of policy.slotMinutes',
      'Shortest booking must be a multiple of the time grid',
    ],
    ['birthDate must not be in the future', 'Birth date must not be in the future'],
    ['Pick a station.', 'Pick a station.'],
    [
      'name must be shorter; policy.minMinutes must be a number',
      'Name must be shorter; Shortest booking must be a number',
    ],
  ])('says %j as %j', (message, plain) => {
    expect(plainMessage(message, equipment)).toBe(plain);
  });

  it('says the same problem of many rows once', () => {
    expect(
      plainMessage('steps.0.body must be shorter; steps.1.body must be shorter', equipment),
    ).toBe('Body must be shorter');
  });

  it('replaces whole paths only, not part of a longer word', () => {
    expect(plainMessage('Set xpolicy.minMinutes first', equipment)).toBe(
      'Set xpolicy.minMinutes first',
    );
  });
});

describe(fieldWords.name, () => {
  it.each([
    ['birthDate', 'Birth date'],
    ['policy.maxMinutesPerWeek', 'Max minutes per week'],
    ['intervals.2.closes', 'Closes'],
  ])('names %s as %s', (path, words) => {
    expect(fieldWords(path)).toBe(words);
  });
});

describe('a one-word field name', () => {
  it('is a label at the start and a plain word in the middle', () => {
    const words = { password: 'Password', email: 'E-mail' };
    expect(plainMessage('email must be an email', words)).toBe('E-mail must be an email');
    expect(plainMessage('Wrong e-mail or password.', words)).toBe('Wrong e-mail or password.');
  });
});
