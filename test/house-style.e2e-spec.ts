import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, mailTo, newDevice, newPatron } from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';

describe('LIBRARY_LOCALE', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW, env: { LIBRARY_LOCALE: 'en-GB' } });
  });
  afterAll(() => t.close());

  const book = (token: string, equipment: string) =>
    t.http
      .post('/api/bookings')
      .set(bearer(token))
      .send({ equipment, start: local('2026-12-02T15:00'), end: local('2026-12-02T16:00') });

  it('writes en-GB times and dates in the e-mail, the refusal and the page, and keeps JSON in ISO', async () => {
    const device = await newDevice(t);
    const [first, second] = [await newPatron(t), await newPatron(t)];
    const booked = await book(first.token, device).expect(201);
    expect(booked.body.start).toBe('2026-12-02T15:00:00-05:00');

    const [mail] = await mailTo(t, first);
    expect(mail.subject).toMatch(
      /^Your booking is confirmed: Test station \d+, Wed 2 Dec, 15:00–16:00$/,
    );
    expect(mail.text).toContain('When: Wed 2 Dec, 15:00–16:00\n');

    const refused = await book(second.token, device).expect(409);
    expect(refused.body.message).toMatch(
      /^Test station \d+ is already booked Wed 2 Dec, 15:00–16:00\. Please pick another time/,
    );

    const page = await t.http
      .get(`/equipment/${device}?date=2026-12-02`)
      .set('Cookie', `dml_session=${second.token}`)
      .expect(200);
    expect(page.text).toContain('Free times on Wednesday, 2 December 2026');
    expect(page.text).toMatch(/>16:00</);
    expect(page.text).not.toMatch(/\b(AM|PM)\b/);
  });
});
