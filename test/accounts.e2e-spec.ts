import { createTestApp, TestApp } from './create-test-app';
import { bearer, DEMO, newPatron, signIn, uniqueCardNumber } from './factories';

describe('Accounts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_HOURS: '12' } });
  });
  afterAll(() => t.close());

  const registration = (overrides: Record<string, unknown> = {}) => ({
    cardNumber: uniqueCardNumber(),
    pin: '2468',
    name: 'Ada Lovelace',
    email: 'ada@example.org',
    birthDate: '1990-12-10',
    ...overrides,
  });

  it('registers a patron who can then sign in with card and PIN', async () => {
    const body = registration();
    const created = await t.http.post('/api/auth/register').send(body).expect(201);
    expect(created.body).toMatchObject({
      role: 'patron',
      name: 'Ada Lovelace',
      cardNumber: body.cardNumber,
      ageGroup: 'adult',
    });
    expect(created.body).not.toHaveProperty('secretHash');
    const login = await t.http
      .post('/api/auth/login')
      .send({ cardNumber: body.cardNumber, pin: '2468' })
      .expect(200);
    expect(login.body.token).toEqual(expect.any(String));
    expect(login.body.user.cardNumber).toBe(body.cardNumber);
    expect(login.headers['set-cookie'][0]).toMatch(/dml_session=.*HttpOnly.*SameSite=Lax/i);
  });

  it('refuses a second registration of the same card', async () => {
    const body = registration();
    await t.http.post('/api/auth/register').send(body).expect(201);
    const again = await t.http.post('/api/auth/register').send(body).expect(409);
    expect(again.body.message).toMatch(/already registered/);
  });

  it.each([
    [{ pin: undefined }, /pin/],
    [{ cardNumber: 'ABC' }, /cardNumber/],
    [{ birthDate: '1990-02-30' }, /birthDate/],
    [{ birthDate: '2099-01-01' }, /birthDate must not be in the future/],
    [{ email: 'not-an-address' }, /email/],
    [{ role: 'librarian' }, /property role should not exist/],
    [{ name: 42 }, /name/],
  ])('rejects a registration with %p, naming the field', async (overrides, message) => {
    const response = await t.http
      .post('/api/auth/register')
      .send(registration(overrides))
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.message).toMatch(message);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const response = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"cardNumber": ')
      .expect(400);
    expect(response.body.message).toMatch(/JSON/);
  });

  it('signs staff in by e-mail and password, case-insensitively', async () => {
    const response = await t.http
      .post('/api/auth/login')
      .send({ email: 'STAFF@example.org', password: DEMO.staff.password })
      .expect(200);
    expect(response.body.user).toMatchObject({ role: 'staff', email: 'staff@example.org' });
  });

  it('does not sign a patron in with a staff password form or vice versa', async () => {
    await t.http
      .post('/api/auth/login')
      .send({ email: 'patron@example.org', password: '1234' })
      .expect(401);
    const response = await t.http
      .post('/api/auth/login')
      .send({ cardNumber: DEMO.patron.cardNumber, pin: '9999' })
      .expect(401);
    expect(response.body.message).toMatch(/card number and PIN do not match/);
  });

  it('locks an account after five wrong PINs in a row, with a growing Retry-After', async () => {
    const patron = await newPatron(t);
    const statuses: number[] = [];
    const retryAfter: number[] = [];
    for (let attempt = 0; attempt < 25; attempt++) {
      const response = await t.http
        .post('/api/auth/login')
        .send({ cardNumber: patron.cardNumber, pin: '0000' });
      statuses.push(response.status);
      if (response.status === 429) retryAfter.push(Number(response.headers['retry-after']));
      if (attempt === 6) t.clock.advance(1); // past the first 30-second lock
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses[4]).toBe(429);
    expect(statuses.filter((s) => s === 401).length).toBeLessThan(25);
    expect(retryAfter[0]).toBeGreaterThan(0);
    expect(Math.max(...retryAfter)).toBeGreaterThan(retryAfter[0]);
    // The right PIN is refused too while the lock lasts, then works once it has passed.
    await t.http
      .post('/api/auth/login')
      .send({ cardNumber: patron.cardNumber, pin: patron.pin })
      .expect(429);
    t.clock.advance(61);
    await t.http
      .post('/api/auth/login')
      .send({ cardNumber: patron.cardNumber, pin: patron.pin })
      .expect(200);
  });

  it('shows the signed-in user, and logout ends the session', async () => {
    const token = await signIn(t, 'patron');
    const me = await t.http.get('/api/me').set(bearer(token)).expect(200);
    expect(me.body).toMatchObject({
      role: 'patron',
      cardNumber: DEMO.patron.cardNumber,
      ageGroup: 'adult',
      certifications: [],
    });
    await t.http.post('/api/auth/logout').set(bearer(token)).expect(204);
    const after = await t.http.get('/api/me').set(bearer(token)).expect(401);
    expect(after.body.message).toMatch(/session has ended/);
  });

  it('accepts the session cookie as well as the bearer token', async () => {
    const login = await t.http.post('/api/auth/login').send(DEMO.teen).expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const me = await t.http.get('/api/me').set('Cookie', cookie).expect(200);
    expect(me.body.ageGroup).toBe('teen');
  });

  it('refuses an expired session', async () => {
    const token = await signIn(t, 'patron');
    t.clock.advance(13 * 60);
    await t.http.get('/api/me').set(bearer(token)).expect(401);
  });

  it('answers 401 to anonymous callers of /api/me and a forged token', async () => {
    const anonymous = await t.http.get('/api/me').expect(401);
    expect(anonymous.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Please sign in first.',
    });
    await t.http.get('/api/me').set(bearer('forged')).expect(401);
  });
});

describe('Patron look-up and certifications at the desk', () => {
  let t: TestApp;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await signIn(t, 'staff');
  });
  afterAll(() => t.close());

  it('finds patrons by the start of a card number or part of a name', async () => {
    const patron = await newPatron(t, { name: 'Grace Hopper' });
    const byCard = await t.http
      .get('/api/patrons')
      .query({ card: patron.cardNumber.slice(0, 9) })
      .set(bearer(staff))
      .expect(200);
    expect(byCard.body.map((p: { cardNumber: string }) => p.cardNumber)).toContain(
      patron.cardNumber,
    );
    const byName = await t.http
      .get('/api/patrons')
      .query({ card: 'hopper' })
      .set(bearer(staff))
      .expect(200);
    expect(byName.body).toEqual([expect.objectContaining({ name: 'Grace Hopper' })]);
    const one = await t.http
      .get(`/api/patrons/${patron.cardNumber}`)
      .set(bearer(staff))
      .expect(200);
    expect(one.body).toMatchObject({ name: 'Grace Hopper', certifications: [] });
  });

  it('answers 404 for an unknown card and keeps patrons out', async () => {
    await t.http.get('/api/patrons/99999999999999').set(bearer(staff)).expect(404);
    const patron = await newPatron(t);
    await t.http.get('/api/patrons').query({ card: '2' }).set(bearer(patron.token)).expect(403);
    await t.http.get(`/api/patrons/${patron.cardNumber}`).expect(401);
  });

  it('grants a certification after an orientation, shown on the patron and in /api/me', async () => {
    const patron = await newPatron(t);
    const granted = await t.http
      .post(`/api/patrons/${patron.cardNumber}/certifications`)
      .set(bearer(staff))
      .send({ equipment: 'podcast-studio', validMonths: 12 })
      .expect(201);
    expect(granted.body).toMatchObject({
      equipment: 'podcast-studio',
      grantedBy: 'Sam Desk',
      current: true,
    });
    expect(granted.body.expiresAt).toMatch(/^2027-12-01T/);
    const list = await t.http
      .get(`/api/patrons/${patron.cardNumber}/certifications`)
      .set(bearer(staff))
      .expect(200);
    expect(list.body).toHaveLength(1);
    const me = await t.http.get('/api/me').set(bearer(patron.token)).expect(200);
    expect(me.body.certifications).toEqual([
      expect.objectContaining({ equipment: 'podcast-studio' }),
    ]);
  });

  it('refuses a certification for unknown equipment or a malformed body', async () => {
    const patron = await newPatron(t);
    await t.http
      .post(`/api/patrons/${patron.cardNumber}/certifications`)
      .set(bearer(staff))
      .send({ equipment: 'time-machine' })
      .expect(404);
    const bad = await t.http
      .post(`/api/patrons/${patron.cardNumber}/certifications`)
      .set(bearer(staff))
      .send({ equipment: 'Podcast Studio!' })
      .expect(400);
    expect(bad.body.message).toMatch(/equipment/);
    await t.http
      .post(`/api/patrons/${patron.cardNumber}/certifications`)
      .set(bearer(patron.token))
      .send({ equipment: 'podcast-studio' })
      .expect(403);
  });
});

describe('Broken Unicode in requests', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each([
    [
      '/api/auth/register',
      {
        cardNumber: '27947672753361',
        pin: '4321',
        name: 'x',
        email: '\ud800',
        birthDate: '1990-01-01',
      },
      /email must be valid Unicode/,
    ],
    [
      '/api/auth/login',
      { email: 'a\udc00@example.org', password: 'x' },
      /email must be valid Unicode/,
    ],
    [
      '/api/auth/register',
      {
        cardNumber: '27947672753362',
        pin: '4321',
        name: ['\ud83d'],
        email: 'a@example.org',
        birthDate: '1990-01-01',
      },
      /name.0 must be valid Unicode/,
    ],
  ])(
    'refuses a lone surrogate sent to %s with 400 naming the field',
    async (path, body, message) => {
      const response = await t.http.post(path).send(body).expect(400);
      expect(response.body.message).toMatch(message);
    },
  );

  it('refuses a lone surrogate in a query string', async () => {
    const response = await t.http
      .get('/api/equipment?q=%ED%A0%80')
      .expect((r) => expect(r.status).toBeLessThan(500));
    expect(response.status === 200 || response.status === 400).toBe(true);
  });
});

describe('Malformed request shapes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each([
    [[1, 2], /body must be a JSON object/],
    ['"just a string"', /not valid JSON/],
    [
      { cardNumber: null, pin: '1234', email: 'a@example.org', password: 'x' },
      /cardNumber must be 6 to 20 digits/,
    ],
    [{ cardNumber: {}, pin: '1234' }, /cardNumber/],
    ['['.repeat(5000) + ']'.repeat(5000), /body must be a JSON object/],
    [
      {
        email: 'a@example.org',
        password: JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) as unknown,
      },
      /nested too deeply/,
    ],
    [
      '{"email":"a@example.org","password":"x","__proto__":{"role":"librarian"}}',
      /__proto__ is not a field/,
    ],
    [
      '{"cardNumber":"21234000000017","pin":"1234","constructor":{"a":1}}',
      /constructor is not a field/,
    ],
  ])('answers a sign-in body of %p with 400', async (body, message) => {
    const response = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body))
      .expect(400);
    expect(response.body.message).toMatch(message);
  });

  it('treats a POST with no body as an empty object', async () => {
    const librarian = await t.http
      .post('/api/auth/login')
      .send({ email: 'librarian@example.org', password: 'librarian-demo' })
      .expect(200);
    const response = await t.http
      .post('/api/manuals/vhs-to-digital/publish')
      .set('Authorization', `Bearer ${librarian.body.token}`)
      .expect(409);
    expect(response.body.message).toMatch(/nothing new to publish/);
  });
});
