import { CSRF_COOKIE, csrfTokenFor } from '../src/web/csrf';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, signIn, uniqueCardNumber } from './factories';

describe('Registrations in the audit trail', () => {
  let t: TestApp;
  let librarian: string;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-12-01T14:00:00Z' });
    librarian = await signIn(t, 'librarian');
  });
  afterAll(() => t.close());

  const registration = (cardNumber: string) => ({
    cardNumber,
    pin: '4321',
    name: `Reggie ${cardNumber}`,
    email: `r${cardNumber}@example.org`,
    birthDate: '1990-01-01',
  });

  const trailFor = async (cardNumber: string) =>
    (
      await t.http
        .get('/api/audit')
        .query({ action: 'patron.registered', subject: cardNumber })
        .set(bearer(librarian))
        .expect(200)
    ).body as { action: string; actor: string; subject: string; at: string }[];

  it('records a registration through the API once, and nothing for a refused second attempt', async () => {
    const cardNumber = uniqueCardNumber();
    await t.http.post('/api/auth/register').send(registration(cardNumber)).expect(201);
    await t.http.post('/api/auth/register').send(registration(cardNumber)).expect(409);
    expect(await trailFor(cardNumber)).toEqual([
      expect.objectContaining({
        action: 'patron.registered',
        subject: cardNumber,
        actor: `Reggie ${cardNumber} (patron)`,
        at: '2026-12-01T09:00:00-05:00',
      }),
    ]);
  });

  it('records a registration made on the register page', async () => {
    const cardNumber = uniqueCardNumber();
    const secret = 'a-visitor-secret-for-the-register-form';
    await t.http
      .post('/register')
      .set('Cookie', `${CSRF_COOKIE}=${secret}`)
      .type('form')
      .send({ ...registration(cardNumber), _csrf: csrfTokenFor(secret) })
      .expect(303);
    expect(await trailFor(cardNumber)).toEqual([
      expect.objectContaining({ subject: cardNumber, actor: `Reggie ${cardNumber} (patron)` }),
    ]);
  });
});
