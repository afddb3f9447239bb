import { CSRF_COOKIE, csrfTokenFor } from '../src/web/csrf';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, mailTo, newPatron, signIn, TestPatron } from './factories';

const NOW = '2026-12-01T14:00:00Z';

describe('Secrets people can recover', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const tokenIn = (text: string | undefined): string => {
    const match = /http:\/\/localhost:3000\/reset\?token=([\w-]+)/.exec(text ?? '');
    if (!match) throw new Error(`No link in ${text}`);
    return match[1];
  };

  const resetLinks = async (patron: TestPatron) =>
    (await mailTo(t, patron)).filter((m) => m.subject === 'Reset your Digital Media Lab PIN');

  const signInWith = (patron: TestPatron, pin: string) =>
    t.http.post('/api/auth/login').send({ cardNumber: patron.cardNumber, pin });

  describe('forgotten PIN', () => {
    it('e-mails a link that sets a new PIN once and ends the old sessions', async () => {
      const patron = await newPatron(t);
      const elsewhere = (await signInWith(patron, patron.pin).expect(200)).body.token as string;
      await t.http
        .post('/api/auth/pin-reset')
        .send({ cardNumber: patron.cardNumber })
        .expect(202, {});
      const [mail] = await resetLinks(patron);
      expect(mail.text).toContain('valid for 30 minutes');
      const token = tokenIn(mail.text);

      await t.http.post('/api/auth/pin-reset/confirm').send({ token, pin: '9876' }).expect(200);
      await t.http.get('/api/me').set(bearer(patron.token)).expect(401);
      await t.http.get('/api/me').set(bearer(elsewhere)).expect(401);
      await signInWith(patron, patron.pin).expect(401);
      await signInWith(patron, '9876').expect(200);

      const used = await t.http
        .post('/api/auth/pin-reset/confirm')
        .send({ token, pin: '1111' })
        .expect(410);
      expect(used.body.message).toMatch(/already been used/);
      await signInWith(patron, '9876').expect(200);
    });

    it('lets the link run out after 30 minutes', async () => {
      const patron = await newPatron(t);
      await t.http.post('/api/auth/pin-reset').send({ cardNumber: patron.cardNumber }).expect(202);
      const token = tokenIn((await resetLinks(patron))[0].text);
      t.clock.advance(31);
      const late = await t.http
        .post('/api/auth/pin-reset/confirm')
        .send({ token, pin: '9876' })
        .expect(410);
      expect(late.body.message).toMatch(/expired/);
      await signInWith(patron, patron.pin).expect(200);
    });

    it('refuses a made-up link with 400 and a plain message', async () => {
      const response = await t.http
        .post('/api/auth/pin-reset/confirm')
        .send({ token: 'x'.repeat(43), pin: '9876' })
        .expect(400);
      expect(response.body.message).toMatch(/link is not valid/);
    });

    it('asks a patron for a PIN and staff for a password', async () => {
      const patron = await newPatron(t);
      await t.http.post('/api/auth/pin-reset').send({ cardNumber: patron.cardNumber }).expect(202);
      const token = tokenIn((await resetLinks(patron))[0].text);
      const wrong = await t.http
        .post('/api/auth/pin-reset/confirm')
        .send({ token, password: 'a-long-enough-password' })
        .expect(400);
      expect(wrong.body.message).toMatch(/new PIN/);
      await t.http.post('/api/auth/pin-reset/confirm').send({ token, pin: '5555' }).expect(200);
    });

    it('answers an unknown card exactly as a real one, in about the same time', async () => {
      const patron = await newPatron(t);
      const timed = async (cardNumber: string) => {
        const started = performance.now();
        const response = await t.http.post('/api/auth/pin-reset').send({ cardNumber }).expect(202);
        return { ms: performance.now() - started, body: response.body as unknown };
      };
      const known: number[] = [];
      const unknown: number[] = [];
      // Five pairs, taking turns: a median of five holds when a busy machine stalls one request.
      for (let i = 0; i < 5; i += 1) {
        const a = await timed(patron.cardNumber);
        const b = await timed('29999999999999');
        expect(b.body).toEqual(a.body);
        known.push(a.ms);
        unknown.push(b.ms);
      }
      const median = (xs: number[]) => xs.sort((x, y) => x - y)[2];
      expect(Math.abs(median(known) - median(unknown))).toBeLessThan(100);
    });
  });

  describe('staff send a patron the link from the desk', () => {
    it('e-mails the patron the same single-use link', async () => {
      const patron = await newPatron(t);
      const staff = await signIn(t, 'staff');
      const sent = await t.http
        .post(`/api/patrons/${patron.cardNumber}/pin-reset`)
        .set(bearer(staff))
        .expect(202);
      expect(sent.body).toEqual({ sentTo: `p${patron.cardNumber}@example.org` });
      const token = tokenIn((await resetLinks(patron))[0].text);
      await t.http.post('/api/auth/pin-reset/confirm').send({ token, pin: '2580' }).expect(200);
      await signInWith(patron, '2580').expect(200);
      await t.http.post(`/api/patrons/29000000000000/pin-reset`).set(bearer(staff)).expect(404);
    });

    it('has a button on the desk patron look-up page', async () => {
      const patron = await newPatron(t);
      const staff = await signIn(t, 'staff');
      const cookie = `dml_session=${staff}`;
      const page = await t.http
        .get(`/desk/patrons?q=${patron.cardNumber}`)
        .set('Cookie', cookie)
        .expect(200);
      expect(page.text).toContain(`action="/desk/patrons/${patron.cardNumber}/pin-reset"`);
      const posted = await t.http
        .post(`/desk/patrons/${patron.cardNumber}/pin-reset`)
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfTokenFor(staff) })
        .expect(303);
      expect(posted.headers.location).toBe(`/desk/patrons?q=${patron.cardNumber}`);
      expect(await resetLinks(patron)).toHaveLength(1);
    });
  });

  describe('changing your own secret', () => {
    it('changes a PIN with the current one, ending the other sessions only', async () => {
      const patron = await newPatron(t);
      const elsewhere = (await signInWith(patron, patron.pin).expect(200)).body.token as string;
      const wrong = await t.http
        .post('/api/me/pin')
        .set(bearer(patron.token))
        .send({ currentPin: '0000', pin: '7777' })
        .expect(422);
      expect(wrong.body.message).toMatch(/current PIN is not right/);
      await t.http
        .post('/api/me/pin')
        .set(bearer(patron.token))
        .send({ currentPin: patron.pin, pin: '7777' })
        .expect(204);
      await t.http.get('/api/me').set(bearer(patron.token)).expect(200);
      await t.http.get('/api/me').set(bearer(elsewhere)).expect(401);
      await signInWith(patron, '7777').expect(200);
    });

    it('counts wrong current PINs towards the sign-in lock, which a reset link opens', async () => {
      const patron = await newPatron(t);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const response = await t.http
          .post('/api/me/pin')
          .set(bearer(patron.token))
          .send({ currentPin: '0000', pin: '7777' });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([422, 422, 422, 422, 429]);
      await signInWith(patron, patron.pin).expect(429);
      // A new PIN from an e-mailed link opens the lock.
      await t.http.post('/api/auth/pin-reset').send({ cardNumber: patron.cardNumber }).expect(202);
      const token = tokenIn((await resetLinks(patron))[0].text);
      await t.http.post('/api/auth/pin-reset/confirm').send({ token, pin: '8642' }).expect(200);
      await signInWith(patron, '8642').expect(200);
    });

    it('changes a staff password, at least 12 characters', async () => {
      const librarian = await signIn(t, 'librarian');
      const email = 'pw-change@library.example';
      const created = await t.http
        .post('/api/staff')
        .set(bearer(librarian))
        .send({ email, name: 'Pat Word', role: 'staff' })
        .expect(201);
      const welcome = (await t.mailbox()).find((m) => JSON.stringify(m.to).includes(email));
      await t.http
        .post('/api/auth/pin-reset/confirm')
        .send({ token: tokenIn(welcome?.text), password: 'first password here' })
        .expect(200);
      const token = (
        await t.http
          .post('/api/auth/login')
          .send({ email, password: 'first password here' })
          .expect(200)
      ).body.token as string;
      const short = await t.http
        .post('/api/me/password')
        .set(bearer(token))
        .send({ currentPassword: 'first password here', password: 'short' })
        .expect(400);
      expect(JSON.stringify(short.body.message)).toMatch(/12/);
      await t.http
        .post('/api/me/password')
        .set(bearer(token))
        .send({ currentPassword: 'wrong password here', password: 'second password here' })
        .expect(422);
      await t.http
        .post('/api/me/password')
        .set(bearer(token))
        .send({ currentPassword: 'first password here', password: 'second password here' })
        .expect(204);
      await t.http
        .post('/api/auth/login')
        .send({ email, password: 'second password here' })
        .expect(200);
      const trail = await t.http
        .get('/api/audit')
        .query({ subject: email, action: 'account.secret_changed' })
        .set(bearer(librarian))
        .expect(200);
      expect(trail.body).toHaveLength(1);
      expect(created.body.id).toEqual(expect.any(String));
    });
  });

  describe('pages', () => {
    it('sets a new PIN on the reset page from the e-mailed link', async () => {
      const patron = await newPatron(t);
      const visitor = 'a-visitor-secret-for-the-reset-form';
      const cookie = `${CSRF_COOKIE}=${visitor}`;
      await t.http
        .post('/reset/request')
        .set('Cookie', cookie)
        .type('form')
        .send({ cardNumber: patron.cardNumber, _csrf: csrfTokenFor(visitor) })
        .expect(303);
      const token = tokenIn((await resetLinks(patron))[0].text);
      const form = await t.http.get(`/reset?token=${token}`).set('Cookie', cookie).expect(200);
      expect(form.text).toContain('New PIN');
      await t.http
        .post('/reset')
        .set('Cookie', cookie)
        .type('form')
        .send({ token, pin: '3690', _csrf: csrfTokenFor(visitor) })
        .expect(303)
        .expect('Location', '/login');
      await signInWith(patron, '3690').expect(200);
    });

    it('changes a PIN on the account page', async () => {
      const patron = await newPatron(t);
      const cookie = `dml_session=${patron.token}`;
      const page = await t.http.get('/account').set('Cookie', cookie).expect(200);
      expect(page.text).toContain('Change your PIN');
      await t.http
        .post('/account/pin')
        .set('Cookie', cookie)
        .type('form')
        .send({ currentPin: patron.pin, pin: '1470', _csrf: csrfTokenFor(patron.token) })
        .expect(303)
        .expect('Location', '/account');
      await signInWith(patron, '1470').expect(200);
    });
  });
});
