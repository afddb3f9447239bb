import { createTestApp, TestApp } from './create-test-app';
import { bearer, newDevice, newPatron, signIn } from './factories';

/** Every answer here must come back quickly: a date loop that never ends shows up as a timeout. */
const QUICK_MS = 5_000;

describe('Dates and instants out of range', () => {
  let t: TestApp;
  let staff: string;
  let patron: string;
  let device: string;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await signIn(t, 'staff');
    patron = (await newPatron(t)).token;
    device = await newDevice(t);
  });
  afterAll(() => t.close());

  it.each([
    [{ from: '9999-12-31', to: '9999-12-31' }, 'from'],
    [{ from: '2026-12-01', to: '9999-12-31' }, 'to'],
    [{ from: '1899-12-31', to: '1900-01-01' }, 'from'],
    [{ from: '2199-12-31', to: '2200-01-01' }, 'to'],
    [{ from: '0000-01-01', to: '0000-01-02' }, 'from'],
  ])(
    'refuses opening hours for %j, naming %s',
    async (query, field) => {
      const response = await t.http.get('/api/hours').query(query).expect(400);
      expect(JSON.stringify(response.body.message)).toContain(field);
    },
    QUICK_MS,
  );

  it('still answers for the last days of the range', async () => {
    const response = await t.http
      .get('/api/hours')
      .query({ from: '2199-12-30', to: '2199-12-31' })
      .expect(200);
    expect(response.body.map((d: { date: string }) => d.date)).toEqual([
      '2199-12-30',
      '2199-12-31',
    ]);
  });

  it('refuses opening hours for more than a year at a time, naming the fields', async () => {
    const response = await t.http
      .get('/api/hours')
      .query({ from: '1900-01-01', to: '2199-12-31' })
      .expect(400);
    expect(response.body.message).toMatch(/from and to/);
  });

  it.each(['9999-12-31', '1899-12-31', '2200-01-01'])(
    'refuses a device day on %s',
    async (date) => {
      const response = await t.http
        .get(`/api/equipment/${device}/availability`)
        .query({ date })
        .expect(400);
      expect(JSON.stringify(response.body.message)).toContain('date');
    },
    QUICK_MS,
  );

  it.each([
    ['9999-12-31T10:00:00Z', '9999-12-31T11:00:00Z', 'start'],
    ['2026-12-01T10:00:00+99:99', '2026-12-01T11:00:00Z', 'start'],
    ['2026-12-01T10:00:00Z', '2026-12-01T11:00:00+24:00', 'end'],
    ['2026-12-01T10:00:00-13:60', '2026-12-01T11:00:00Z', 'start'],
    ['2026-12-01T10:00:00Z', '2200-01-01T11:00:00Z', 'end'],
  ])(
    'refuses "what is free" from %s to %s, naming %s',
    async (start, end, field) => {
      const response = await t.http.get('/api/availability').query({ start, end }).expect(400);
      expect(JSON.stringify(response.body.message)).toContain(field);
    },
    QUICK_MS,
  );

  it.each([
    ['9999-12-31T15:00:00-05:00', '9999-12-31T16:00:00-05:00', 'start'],
    ['2026-12-02T15:00:00+99:99', '2026-12-02T16:00:00-05:00', 'start'],
    ['2026-12-02T15:00:00-05:00', '2026-12-02T16:00:00-24:00', 'end'],
  ])(
    'refuses a booking from %s to %s, naming %s',
    async (start, end, field) => {
      const response = await t.http
        .post('/api/bookings')
        .set(bearer(patron))
        .send({ equipment: device, start, end })
        .expect(400);
      expect(JSON.stringify(response.body.message)).toContain(field);
    },
    QUICK_MS,
  );

  it.each([
    [{ from: '9999-12-31' }, 'from'],
    [{ to: '2026-12-01T10:00:00+99:99' }, 'to'],
  ])(
    'refuses a bookings list filtered by %j',
    async (query, field) => {
      const response = await t.http
        .get('/api/bookings')
        .set(bearer(staff))
        .query(query)
        .expect(400);
      expect(JSON.stringify(response.body.message)).toContain(field);
    },
    QUICK_MS,
  );

  it.each([
    [{ from: '9999-12-31', to: '9999-12-31' }, 'from'],
    [{ from: '2026-01-01', to: '2200-01-01' }, 'to'],
  ])(
    'refuses a usage report for %j',
    async (query, field) => {
      const response = await t.http
        .get('/api/reports/usage')
        .set(bearer(staff))
        .query(query)
        .expect(400);
      expect(JSON.stringify(response.body.message)).toContain(field);
    },
    QUICK_MS,
  );

  it('refuses a closure or a birth date outside the range', async () => {
    const librarian = await signIn(t, 'librarian');
    const closure = await t.http
      .post('/api/closures')
      .set(bearer(librarian))
      .send({ date: '9999-12-31', reason: 'The end of time' })
      .expect(400);
    expect(JSON.stringify(closure.body.message)).toContain('date');
    const registration = await t.http
      .post('/api/auth/register')
      .send({
        cardNumber: '29999999999999',
        pin: '4321',
        name: 'Old Timer',
        email: 'old@example.org',
        birthDate: '1899-12-31',
      })
      .expect(400);
    expect(JSON.stringify(registration.body.message)).toContain('birthDate');
  });

  it.each(['9999-12-31', '+010000-01-01', '1899-12-31'])(
    'the device page refuses the day %s on the page and shows today',
    async (date) => {
      const page = await t.http.get(`/equipment/${device}`).query({ date }).expect(200);
      expect(page.text).toContain('That is not a date');
    },
    QUICK_MS,
  );
});
