import type { TestApp } from './create-test-app';

export const DEMO = {
  librarian: { email: 'librarian@example.org', password: 'librarian-demo' },
  staff: { email: 'staff@example.org', password: 'staff-demo' },
  patron: { cardNumber: '21234000000017', pin: '1234' },
  teen: { cardNumber: '21234000000025', pin: '1234' },
} as const;

export type DemoAccount = keyof typeof DEMO;

let serial = 0;

/** A card number no other test in this process uses. */
export function uniqueCardNumber(): string {
  serial += 1;
  return `29${String(process.pid % 100000).padStart(5, '0')}${String(serial).padStart(7, '0')}`;
}

export async function signIn(t: TestApp, who: DemoAccount): Promise<string> {
  const response = await t.http.post('/api/auth/login').send(DEMO[who]).expect(200);
  return response.body.token as string;
}

export interface TestPatron {
  cardNumber: string;
  pin: string;
  token: string;
  id: string;
}

/** Registers and signs in a new adult patron (or one born on `birthDate`). */
export async function newPatron(
  t: TestApp,
  overrides: { birthDate?: string; name?: string } = {},
): Promise<TestPatron> {
  const cardNumber = uniqueCardNumber();
  const pin = '4321';
  const registered = await t.http
    .post('/api/auth/register')
    .send({
      cardNumber,
      pin,
      name: overrides.name ?? `Patron ${cardNumber}`,
      email: `p${cardNumber}@example.org`,
      birthDate: overrides.birthDate ?? '1990-01-01',
    })
    .expect(201);
  const login = await t.http.post('/api/auth/login').send({ cardNumber, pin }).expect(200);
  return { cardNumber, pin, token: login.body.token as string, id: registered.body.id as string };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
