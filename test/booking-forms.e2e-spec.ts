import type { Response } from 'supertest';
import { createTestApp, TestApp } from './create-test-app';
import {
  bearer,
  flashOf,
  formFields,
  local,
  newDevice,
  newPatron,
  signIn,
  TestPatron,
} from './factories';

// Tuesday 1 December 2026, 10:00 in the library (America/New_York); open 10:00–20:00.
const NOW = '2026-12-01T15:00:00Z';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Booking forms book once however often they are sent', () => {
  let t: TestApp;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    staff = await signIn(t, 'staff');
  });
  afterAll(() => t.close());

  const page = (path: string, token?: string) => {
    const request = t.http.get(path);
    return (token ? request.set('Cookie', `dml_session=${token}`) : request).expect(200);
  };

  /** The same form sent twice, the second 150 ms after the first, as a double click does. */
  async function doubleSubmit(
    token: string,
    action: string,
    fields: Record<string, string>,
  ): Promise<Response[]> {
    const send = () =>
      t.http
        .post(action)
        .set('Cookie', `dml_session=${token}`)
        .type('form')
        .send(fields)
        .then((r) => r);
    const first = send();
    await pause(150);
    return Promise.all([first, send()]);
  }

  async function bookingsOf(device: string): Promise<{ id: string; status: string }[]> {
    const response = await t.http
      .get('/api/bookings')
      .query({ equipment: device })
      .set(bearer(staff))
      .expect(200);
    return response.body as { id: string; status: string }[];
  }

  it('shows the patron the booking a double-clicked time button made', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    const shown = await page(`/equipment/${device}?date=2026-12-02`, patron.token);
    const fields = formFields(shown.text, `/equipment/${device}/book`);
    const responses = await doubleSubmit(patron.token, `/equipment/${device}/book`, {
      ...fields,
      minutes: '30',
      start: local('2026-12-02T14:00'),
    });
    for (const response of responses) {
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/my/bookings');
      expect(flashOf(response)).toMatchObject({ kind: 'success', text: /is yours/ });
    }
    expect(flashOf(responses[0])!.text).toBe(flashOf(responses[1])!.text);
    expect(await bookingsOf(device)).toHaveLength(1);
    expect(fields.idempotencyKey).toMatch(/^[\x21-\x7e]{8,200}$/);
    // Another rendering of the page is another form: a new key, a new booking.
    const again = await page(`/equipment/${device}?date=2026-12-02`, patron.token);
    expect(formFields(again.text, `/equipment/${device}/book`).idempotencyKey).not.toBe(
      fields.idempotencyKey,
    );
  });

  it('reserves a kit once when its form is sent twice', async () => {
    const kit = await newDevice(t, {
      category: 'photo-video-loan',
      kind: 'loan',
      policy: { slotMinutes: 1440, minMinutes: 1440, maxMinutes: 10080, maxMinutesPerWeek: 30240 },
    });
    const patron = await newPatron(t);
    const shown = await page(`/equipment/${kit}`, patron.token);
    const fields = formFields(shown.text, `/equipment/${kit}/book`);
    const responses = await doubleSubmit(patron.token, `/equipment/${kit}/book`, {
      ...fields,
      from: '2026-12-03',
      to: '2026-12-04',
    });
    for (const response of responses)
      expect(flashOf(response)).toMatchObject({ kind: 'success', text: /is yours/ });
    expect(await bookingsOf(kit)).toHaveLength(1);
  });

  it('books a walk-in at the desk once when the form is sent twice', async () => {
    const device = await newDevice(t);
    const patron: TestPatron = await newPatron(t);
    const desk = await page('/desk', staff);
    const fields = formFields(desk.text, '/desk/walk-in');
    const responses = await doubleSubmit(staff, '/desk/walk-in', {
      ...fields,
      equipment: device,
      cardNumber: patron.cardNumber,
      start: '2026-12-01T10:00',
      minutes: '60',
    });
    for (const response of responses) {
      expect(response.headers.location).toBe('/desk');
      expect(flashOf(response)).toMatchObject({ kind: 'success', text: /^Booked / });
    }
    expect(await bookingsOf(device)).toHaveLength(1);
  });

  it('refuses a damaged form key in plain words', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    const shown = await page(`/equipment/${device}?date=2026-12-02`, patron.token);
    const fields = formFields(shown.text, `/equipment/${device}/book`);
    const response = await t.http
      .post(`/equipment/${device}/book`)
      .set('Cookie', `dml_session=${patron.token}`)
      .type('form')
      .send({
        ...fields,
        idempotencyKey: 'a key with spaces',
        minutes: '30',
        start: local('2026-12-02T14:00'),
      })
      .expect(303);
    expect(flashOf(response)).toMatchObject({ kind: 'error', text: /reload the page/ });
    expect(await bookingsOf(device)).toHaveLength(0);
  });
});

describe('The device page says why a time cannot be booked', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  const page = (path: string, token?: string) => {
    const request = t.http.get(path);
    return (token ? request.set('Cookie', `dml_session=${token}`) : request).expect(200);
  };
  const bookButtons = (html: string) => (html.match(/book from this time/g) ?? []).length;

  it('tells a teen the age limit instead of showing buttons, and shows an adult the times', async () => {
    const device = await newDevice(t, { minAge: 16 });
    const teen = await signIn(t, 'teen');
    const adult = await newPatron(t);
    const forTeen = await page(`/equipment/${device}?date=2026-12-02`, teen);
    expect(forTeen.text).toMatch(/You must be 16 or older/);
    expect(bookButtons(forTeen.text)).toBe(0);
    const forAdult = await page(`/equipment/${device}?date=2026-12-02`, adult.token);
    expect(forAdult.text).not.toMatch(/You must be 16 or older/);
    expect(bookButtons(forAdult.text)).toBeGreaterThan(0);
  });

  it('tells a teen a 16+ kit is not for them instead of offering the reservation form', async () => {
    const kit = await newDevice(t, {
      category: 'photo-video-loan',
      kind: 'loan',
      minAge: 16,
      policy: { slotMinutes: 1440, minMinutes: 1440, maxMinutes: 10080, maxMinutesPerWeek: 30240 },
    });
    const teen = await signIn(t, 'teen');
    const forTeen = await page(`/equipment/${kit}`, teen);
    expect(forTeen.text).toMatch(/You must be 16 or older/);
    expect(forTeen.text).not.toMatch(/Reserve the kit/);
    const adult = await newPatron(t);
    const forAdult = await page(`/equipment/${kit}`, adult.token);
    expect(forAdult.text).toMatch(/Reserve the kit/);
    expect(forAdult.text).toMatch(/Wed, Dec 2: free/);
    // Fourteen days ahead (Tuesday 15 December) is as far as it can be booked.
    const far = await page(`/equipment/${kit}?date=2026-12-14`, adult.token);
    expect(far.text).toMatch(/Tue, Dec 15: free/);
    expect(far.text).toMatch(/Wed, Dec 16: not open for booking yet/);
  });

  it('says when booking opens for a day past the advance window', async () => {
    const device = await newDevice(t, { policy: { maxAdvanceDays: 14 } });
    const patron = await newPatron(t);
    for (const token of [undefined, patron.token]) {
      const far = await page(`/equipment/${device}?date=2026-12-16`, token);
      expect(far.text).toMatch(
        /Booking opens 14 days ahead: you can book this day from Wednesday, December 2, 2026\./,
      );
      expect(bookButtons(far.text)).toBe(0);
      expect(far.text).not.toMatch(/Sign in<\/a> to book one of these/);
    }
  });

  it('asks for the orientation first', async () => {
    const device = await newDevice(t, { requiresOrientation: true });
    const patron = await newPatron(t);
    const shown = await page(`/equipment/${device}?date=2026-12-02`, patron.token);
    expect(shown.text).toMatch(/This device needs an orientation first/);
    expect(bookButtons(shown.text)).toBe(0);
  });

  it('names the notice period next to the times that are left', async () => {
    const device = await newDevice(t, { policy: { minNoticeMinutes: 120 } });
    const patron = await newPatron(t);
    const today = await page(`/equipment/${device}?date=2026-12-01`, patron.token);
    expect(today.text).toMatch(/Please book at least 2 hours ahead/);
    expect(today.text).not.toMatch(/>11:30 AM</);
    expect(today.text).toMatch(/>12:00 PM</);
    expect(bookButtons(today.text)).toBeGreaterThan(0);
  });
});
