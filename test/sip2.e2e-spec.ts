import { createTestApp, TestApp } from './create-test-app';
import { bearer, DEMO, signIn, uniqueCardNumber } from './factories';
import { type IlsPatron, TestIls } from './sip2-server';

const UNREACHABLE = /^We can't reach the library's system right now/;

describe('Patron sign-in through the library ILS (PATRON_AUTH=sip2)', () => {
  let ils: TestIls;
  let t: TestApp;

  beforeAll(async () => {
    ils = await TestIls.start();
    t = await createTestApp({
      env: {
        PATRON_AUTH: 'sip2',
        SIP2_URL: ils.url('location=DML&institution=PL&timeout=2'),
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await ils.stop();
  });
  afterEach(() => {
    Object.assign(ils.behaviour, {
      delayMs: 0,
      garbleAnswers: 0,
      dropRequests: 0,
      refuseLogin: false,
    });
  });

  const patron = (overrides: Partial<IlsPatron> = {}) =>
    ils.add({
      card: uniqueCardNumber(),
      pin: '8642',
      name: 'Rosa Reader',
      email: 'rosa@example.org',
      birthDate: '19900412',
      type: 'ADULT',
      ...overrides,
    });
  const login = (card: string, pin: string) =>
    t.http.post('/api/auth/login').send({ cardNumber: card, pin });

  it('signs a valid card in and creates the patron from the ILS record, with its group', async () => {
    const rosa = patron({ type: 'Resident Adult' });
    const signedIn = await login(rosa.card, '8642').expect(200);
    expect(signedIn.body.user).toMatchObject({
      role: 'patron',
      cardNumber: rosa.card,
      name: 'Rosa Reader',
      email: 'rosa@example.org',
      group: 'resident adult',
    });
    const me = await t.http.get('/api/me').set(bearer(signedIn.body.token)).expect(200);
    expect(me.body).toMatchObject({ name: 'Rosa Reader', group: 'resident adult' });
    const staff = await signIn(t, 'staff');
    const looked = await t.http.get(`/api/patrons/${rosa.card}`).set(bearer(staff)).expect(200);
    expect(looked.body).toMatchObject({ name: 'Rosa Reader', group: 'resident adult' });
    expect(ils.received).toContain('63');
  });

  it('brings the patron up to date from the ILS at the next sign-in', async () => {
    const rosa = patron({ birthDate: undefined, type: undefined, email: undefined });
    const first = await login(rosa.card, '8642').expect(200);
    expect(first.body.user).toMatchObject({ group: 'adult', email: null });
    Object.assign(rosa, {
      name: 'Rosa Writer',
      email: 'writer@example.org',
      birthDate: '20120101',
      type: 'JUVENILE',
    });
    const second = await login(rosa.card, '8642').expect(200);
    expect(second.body.user).toMatchObject({
      id: first.body.user.id,
      name: 'Rosa Writer',
      email: 'writer@example.org',
      ageGroup: 'teen',
      group: 'juvenile',
    });
  });

  it('refuses a wrong PIN or an unknown card like a local miss, and locks after five', async () => {
    const rosa = patron();
    const unknown = await login(uniqueCardNumber(), '8642').expect(401);
    expect(unknown.body.message).toBe('That card number and PIN do not match.');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(rosa.card, '0000')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    await login(rosa.card, '8642').expect(429);
    t.clock.advance(1);
    await login(rosa.card, '8642').expect(200);
  });

  it('refuses a card the ILS blocks, in plain words, even with the right PIN', async () => {
    const blocked = patron({
      flags: ['chargePrivilegesDenied'],
      screenMessage: 'Please return overdue items',
    });
    const refused = await login(blocked.card, '8642').expect(403);
    expect(refused.body).toMatchObject({ code: 'CARD_BLOCKED' });
    expect(refused.body.message).toMatch(/block on this card.*Please ask at the desk/);
    expect(refused.body.message).toContain('Please return overdue items');
    expect(refused.body).not.toHaveProperty('token');
    // A blocked card with a wrong PIN learns nothing about the block.
    await login(blocked.card, '1111').expect(401);
  });

  it('lets a card whose only flag is overdue items sign in', async () => {
    const late = patron({ flags: ['tooManyItemsOverdue'] });
    await login(late.card, '8642').expect(200);
  });

  it('answers 503 in plain words when the ILS is slower than the timeout, and recovers', async () => {
    const rosa = patron();
    ils.behaviour.delayMs = 6000;
    const slow = await login(rosa.card, '8642').expect(503);
    expect(slow.body).toMatchObject({ code: 'ILS_UNAVAILABLE' });
    expect(slow.body.message).toMatch(UNREACHABLE);
    ils.behaviour.delayMs = 0;
    await login(rosa.card, '8642').expect(200);
  });

  it('asks again when an answer arrives garbled, and gives up with 503 when it stays garbled', async () => {
    const rosa = patron();
    ils.behaviour.garbleAnswers = 1;
    await login(rosa.card, '8642').expect(200);
    expect(ils.received).toContain('97');
    ils.behaviour.garbleAnswers = 2;
    const garbled = await login(rosa.card, '8642').expect(503);
    expect(garbled.body.message).toMatch(UNREACHABLE);
  });

  it('answers 503 when the ILS drops the connection, and does not count it as a miss', async () => {
    const rosa = patron();
    await login(rosa.card, '8642').expect(200);
    ils.behaviour.dropRequests = 1;
    // A pooled connection the ILS dropped is replaced once without the patron noticing.
    await login(rosa.card, '8642').expect(200);
    for (let i = 0; i < 6; i++) {
      ils.behaviour.dropRequests = 2;
      await login(rosa.card, '8642').expect(503);
    }
    ils.behaviour.dropRequests = 0;
    await login(rosa.card, '8642').expect(200);
  });

  it('turns self-registration off, on the API and on the page', async () => {
    const refused = await t.http
      .post('/api/auth/register')
      .send({
        cardNumber: uniqueCardNumber(),
        pin: '2468',
        name: 'Squatter',
        email: 'squat@example.org',
        birthDate: '1990-01-01',
      })
      .expect(403);
    expect(refused.body.message).toMatch(/sign in with your library card number and PIN/);
    const page = await t.http.get('/register').expect(200);
    expect(page.text).toContain('No need to register');
    expect(page.text).toMatch(/sign in with your library card/);
    const signInPage = await t.http.get('/login').expect(200);
    expect(signInPage.text).not.toContain('href="/register"');
    const resetPage = await t.http.get('/reset').expect(200);
    expect(resetPage.text).toContain("the library's catalog uses");
    expect(resetPage.text).not.toContain('id="reset-card"');
  });

  it('leaves the PIN to the ILS: no change, no reset link here', async () => {
    const rosa = patron();
    const token = (await login(rosa.card, '8642').expect(200)).body.token as string;
    const change = await t.http
      .post('/api/me/pin')
      .set(bearer(token))
      .send({ currentPin: '8642', pin: '2468' })
      .expect(403);
    expect(change.body).toMatchObject({ code: 'PIN_KEPT_BY_ILS' });
    expect(change.body.message).toMatch(/library's catalog/);
    const staff = await signIn(t, 'staff');
    await t.http.post(`/api/patrons/${rosa.card}/pin-reset`).set(bearer(staff)).expect(403);
    await t.http.post('/api/auth/pin-reset').send({ cardNumber: rosa.card }).expect(202);
    const mails = await t.mailbox();
    expect(mails.filter((m) => JSON.stringify(m.to).includes('rosa@example.org'))).toEqual([]);
    await login(rosa.card, '8642').expect(200);
  });

  it('still signs staff in from the local accounts', async () => {
    await t.http.post('/api/auth/login').send(DEMO.staff).expect(200);
  });
});

describe('Sign-in when the ILS cannot be reached', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A port that was just listening and is now closed: connections are refused.
    const gone = await TestIls.start();
    const url = gone.url('location=DML&institution=PL&timeout=0.5');
    await gone.stop();
    t = await createTestApp({ env: { PATRON_AUTH: 'sip2', SIP2_URL: url } });
  });
  afterAll(() => t.close());

  it('tells patrons plainly with 503, and staff still sign in and work', async () => {
    const refused = await t.http
      .post('/api/auth/login')
      .send({ cardNumber: uniqueCardNumber(), pin: '1234' })
      .expect(503);
    expect(refused.body).toMatchObject({ statusCode: 503, code: 'ILS_UNAVAILABLE' });
    expect(refused.body.message).toMatch(UNREACHABLE);
    const staff = await signIn(t, 'staff');
    await t.http.get('/api/me').set(bearer(staff)).expect(200);
    await t.http.get('/api/bookings').set(bearer(staff)).expect(200);
    const librarian = await signIn(t, 'librarian');
    await t.http.get('/api/staff').set(bearer(librarian)).expect(200);
  });
});
