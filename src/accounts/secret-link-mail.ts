import type { SecretLinkPurpose } from './secret-link.entity';
import type { User } from './user.entity';

function validity(minutes: number): string {
  return minutes % 1440 === 0 ? `${minutes / 1440} days` : `${minutes} minutes`;
}

/** The e-mail that carries a link setting a PIN or password, in plain words. */
export function secretLinkMail(
  user: User,
  purpose: SecretLinkPurpose,
  url: string,
  minutes: number,
): { to: string; subject: string; text: string } {
  const valid = `It is valid for ${validity(minutes)} and works once.`;
  if (purpose === 'welcome')
    return {
      to: user.email!,
      subject: 'Your Digital Media Lab staff account',
      text: [
        `Hello ${user.name},`,
        '',
        `A librarian made you a ${user.role === 'librarian' ? 'librarian' : 'desk staff'} account at the Digital Media Lab. You sign in with this e-mail address, ${user.email}.`,
        '',
        `Open this link to choose your password (at least 12 characters). ${valid}`,
        '',
        url,
        '',
        'If the link has run out, use "Forgot your password?" on the sign-in page, or ask a librarian.',
      ].join('\n'),
    };
  if (purpose === 'verify')
    return {
      to: user.email!,
      subject: 'Confirm your e-mail address for the Digital Media Lab',
      text: [
        `Hello ${user.name},`,
        '',
        `You registered card ${user.cardNumber} at the Digital Media Lab with this e-mail address. Open this link to confirm it; then you can book equipment. ${valid}`,
        '',
        url,
        '',
        'You can sign in and look around before that. If the link has run out, ask for a new one on your account page, or show your card at the desk.',
        '',
        'If you did not register, you can ignore this e-mail: the registration lapses unconfirmed.',
      ].join('\n'),
    };
  const secret = user.role === 'patron' ? 'PIN' : 'password';
  return {
    to: user.email!,
    subject: `Reset your Digital Media Lab ${secret}`,
    text: [
      `Hello ${user.name},`,
      '',
      `Someone asked to reset the ${secret} of your Digital Media Lab account. Open this link to choose a new one. ${valid}`,
      '',
      url,
      '',
      `If you did not ask, you can ignore this e-mail: your ${secret} stays as it is.`,
    ].join('\n'),
  };
}
