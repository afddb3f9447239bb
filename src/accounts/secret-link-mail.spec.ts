import { secretLinkMail } from './secret-link-mail';
import type { User } from './user.entity';

const person = (role: User['role']): User =>
  ({ role, name: 'Robin', email: 'robin@example.org' }) as User;
const URL = 'https://lab.example/reset?token=abc';

describe(secretLinkMail.name, () => {
  it.each([
    ['patron', 'reset', 30, 'Reset your Digital Media Lab PIN', 'valid for 30 minutes'],
    ['staff', 'reset', 30, 'Reset your Digital Media Lab password', 'valid for 30 minutes'],
    ['staff', 'welcome', 10080, 'Your Digital Media Lab staff account', 'valid for 7 days'],
    ['librarian', 'welcome', 10080, 'Your Digital Media Lab staff account', 'a librarian account'],
    [
      'patron',
      'verify',
      2880,
      'Confirm your e-mail address for the Digital Media Lab',
      'valid for 2 days',
    ],
  ] as const)('tells a %s about a %s link', (role, purpose, minutes, subject, words) => {
    const mail = secretLinkMail(person(role), purpose, URL, minutes);
    expect(mail).toMatchObject({ to: 'robin@example.org', subject });
    expect(mail.text).toContain(words);
    expect(mail.text).toContain(`\n${URL}\n`);
  });
});
