import type { Browser, Page } from 'playwright-core';
import { csrfTokenFor } from '../src/web/csrf';
import { createTestApp, TestApp } from './create-test-app';
import { describeInBrowser, launchBrowser, newPage, serve, signInAs, submit } from './browser';
import { bearer, local, newDevice, newPatron, signIn, uniqueCardNumber } from './factories';

// Tuesday 1 December 2026, 10:00 in the library (America/New_York).
const NOW = '2026-12-01T15:00:00Z';
const TOMORROW = '2026-12-02';

async function alertText(page: Page): Promise<string> {
  return (await page.getByRole('alert').textContent()) ?? '';
}

describeInBrowser('Refused forms keep what was typed', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    base = await serve(t);
    browser = await launchBrowser();
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  describe.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])('%s', (_name, javaScriptEnabled) => {
    async function open(): Promise<{ page: Page; done: () => Promise<void> }> {
      const { context, page } = await newPage(browser, base, { javaScriptEnabled });
      return { page, done: () => context.close() };
    }

    it('registration: everything but the PIN comes back, and the date is named as labelled', async () => {
      const { page, done } = await open();
      const card = uniqueCardNumber();
      await page.goto('/register');
      await page.getByLabel('Your name').fill('Fay Future');
      await page.getByLabel('E-mail').fill(`fay${card}@example.org`);
      await page.getByLabel('Library card number').fill(card);
      await page.getByLabel('PIN').fill('4455');
      await page.getByLabel('Date of birth').fill('2099-01-01');
      await submit(page, () => page.getByRole('button', { name: 'Register' }).click());
      expect(new URL(page.url()).pathname).toBe('/register');
      await expect(alertText(page)).resolves.toBe(
        'Not done: Date of birth must not be in the future',
      );
      await expect(page.getByLabel('Your name').inputValue()).resolves.toBe('Fay Future');
      await expect(page.getByLabel('E-mail').inputValue()).resolves.toBe(`fay${card}@example.org`);
      await expect(page.getByLabel('Library card number').inputValue()).resolves.toBe(card);
      await expect(page.getByLabel('Date of birth').inputValue()).resolves.toBe('2099-01-01');
      await expect(page.getByLabel('PIN').inputValue()).resolves.toBe('');
      await done();
    });

    it('sign-in: the card number and the e-mail come back, never the PIN or password, and the next page is kept', async () => {
      const { page, done } = await open();
      const patron = await newPatron(t);
      await page.goto('/login?next=%2Faccount');
      await page.getByLabel('Library card number').fill(patron.cardNumber);
      await page.getByLabel('PIN').fill('0000');
      await submit(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click());
      expect(page.url()).toContain('/login?next=%2Faccount');
      await expect(alertText(page)).resolves.toBe(
        'Not done: That card number and PIN do not match.',
      );
      await expect(page.getByLabel('Library card number').inputValue()).resolves.toBe(
        patron.cardNumber,
      );
      await expect(page.getByLabel('PIN').inputValue()).resolves.toBe('');
      // The right PIN now goes on to the page first asked for.
      await page.getByLabel('PIN').fill(patron.pin);
      await submit(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click());
      expect(new URL(page.url()).pathname).toBe('/account');

      await page.context().clearCookies();
      await page.goto('/login');
      await page.getByLabel('E-mail').fill('nobody-here@example.org');
      await page.getByLabel('Password').fill('not the password at all');
      await submit(page, () => page.getByRole('button', { name: 'Sign in as staff' }).click());
      await expect(alertText(page)).resolves.toBe(
        'Not done: That e-mail and password do not match.',
      );
      await expect(page.getByLabel('E-mail').inputValue()).resolves.toBe('nobody-here@example.org');
      await expect(page.getByLabel('Password').inputValue()).resolves.toBe('');
      await done();
    });

    it('equipment edit: the typed rules come back with the labels’ words', async () => {
      const { page, done } = await open();
      const device = await newDevice(t);
      await signInAs(page, 'librarian');
      await page.goto(`/admin/equipment/${device}`);
      await page.getByLabel('Name', { exact: true }).fill('Renamed station');
      await page.getByLabel('Where it is').fill('Back room');
      await page.getByLabel('Shortest booking (minutes)').fill('150');
      await submit(page, () => page.getByRole('button', { name: 'Save changes' }).click());
      expect(new URL(page.url()).pathname).toBe(`/admin/equipment/${device}`);
      const alert = await alertText(page);
      expect(alert).toContain('Shortest booking must not be longer than the longest booking');
      expect(alert).not.toMatch(/policy\.|minMinutes/);
      await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe(
        'Renamed station',
      );
      await expect(page.getByLabel('Where it is').inputValue()).resolves.toBe('Back room');
      await expect(page.getByLabel('Shortest booking (minutes)').inputValue()).resolves.toBe('150');
      // Nothing was saved.
      const saved = await t.http.get(`/api/equipment/${device}`).expect(200);
      expect(saved.body.name).not.toBe('Renamed station');
      await done();
    });

    it('opening hours: the week comes back and the row is named by its day', async () => {
      const { page, done } = await open();
      await signInAs(page, 'librarian');
      await page.goto('/admin/hours');
      await page.getByLabel('Monday: opens at').fill('17:00');
      await page.getByLabel('Monday: closes at').fill('09:00');
      await submit(page, () => page.getByRole('button', { name: 'Save the week' }).click());
      const alert = await alertText(page);
      expect(alert).toBe('Not done: Closing time on Monday must be later than its opening time');
      await expect(page.getByLabel('Monday: opens at').inputValue()).resolves.toBe('17:00');
      await expect(page.getByLabel('Monday: closes at').inputValue()).resolves.toBe('09:00');

      // A day already closed is refused; what was typed stays.
      const day = javaScriptEnabled ? '2026-12-24' : '2026-12-26';
      for (const reason of ['Holiday', 'Staff training']) {
        await page.getByLabel('Date').fill(day);
        await page.getByLabel('Why (patrons see this)').fill(reason);
        await submit(page, () => page.getByRole('button', { name: 'Close that day' }).click());
      }
      await expect(alertText(page)).resolves.toMatch(/^Not done: The library is already closed/);
      await expect(page.getByLabel('Date').inputValue()).resolves.toBe(day);
      await expect(page.getByLabel('Why (patrons see this)').inputValue()).resolves.toBe(
        'Staff training',
      );
      await done();
    });

    it('desk walk-in and outage: card, station, start and length come back', async () => {
      const { page, done } = await open();
      const first = await newDevice(t);
      const second = await newDevice(t);
      await signInAs(page, 'staff');
      await page.goto('/desk');
      const unknownCard = uniqueCardNumber();
      await page.locator('#walk-in-card').fill(unknownCard);
      await page.locator('#walk-in-device').selectOption(second);
      await page.locator('#walk-in-start').fill(`${TOMORROW}T11:00`);
      await page.locator('#walk-in-minutes').selectOption('90');
      await submit(page, () => page.getByRole('button', { name: 'Book for the patron' }).click());
      await expect(alertText(page)).resolves.toMatch(/^Not done: .*card/i);
      await expect(page.locator('#walk-in-card').inputValue()).resolves.toBe(unknownCard);
      await expect(page.locator('#walk-in-device').inputValue()).resolves.toBe(second);
      await expect(page.locator('#walk-in-start').inputValue()).resolves.toBe(`${TOMORROW}T11:00`);
      await expect(page.locator('#walk-in-minutes').inputValue()).resolves.toBe('90');

      await page.locator('#outage-device').selectOption(first);
      await page.locator('#outage-from').fill(`${TOMORROW}T15:00`);
      await page.locator('#outage-to').fill(`${TOMORROW}T09:00`);
      await page.getByLabel('What is wrong').fill('Fan rattles');
      await submit(page, () => page.getByRole('button', { name: 'Mark out of service' }).click());
      await expect(alertText(page)).resolves.toMatch(/^Not done: /);
      await expect(page.locator('#outage-device').inputValue()).resolves.toBe(first);
      await expect(page.locator('#outage-from').inputValue()).resolves.toBe(`${TOMORROW}T15:00`);
      await expect(page.getByLabel('What is wrong').inputValue()).resolves.toBe('Fan rattles');
      await done();
    });

    it('booking: a refused booking keeps the chosen length', async () => {
      const { page, done } = await open();
      const device = await newDevice(t);
      const rival = await newPatron(t);
      await signInAs(page, 'patron');
      await page.goto(`/equipment/${device}?date=${TOMORROW}`);
      await t.http
        .post('/api/bookings')
        .set(bearer(rival.token))
        .send({
          equipment: device,
          start: local(`${TOMORROW}T12:00`),
          end: local(`${TOMORROW}T13:00`),
        })
        .expect(201);
      await page.locator('#minutes').selectOption({ label: '1 h 30 min' });
      await submit(page, () => page.getByRole('button', { name: /^11:00 AM/ }).click());
      await page.waitForURL(`**/equipment/${device}?date=${TOMORROW}`);
      await expect(alertText(page)).resolves.toMatch(/^Not done: /);
      await expect(page.locator('#minutes').inputValue()).resolves.toBe('90');
      await done();
    });

    it('series: a check and a refusal both leave the form as typed', async () => {
      const { page, done } = await open();
      const device = await newDevice(t);
      await signInAs(page, 'staff');
      await page.goto('/desk/series');
      await page.getByLabel('Station').selectOption(device);
      await page.getByLabel('First booking starts').fill(`${TOMORROW}T16:00`);
      await page.getByLabel('Repeats').selectOption('day');
      await page.getByLabel('How many times (or give a last date)').fill('3');
      await page.getByLabel('Programme name (e.g. Teen podcast club)').fill('Zine club');
      await submit(page, () => page.getByRole('button', { name: 'Check the dates first' }).click());
      await expect(page.getByRole('status').textContent()).resolves.toMatch(/Checked, nothing/);
      await expect(page.getByLabel('Station').inputValue()).resolves.toBe(device);
      await expect(page.getByLabel('Repeats').inputValue()).resolves.toBe('day');
      await expect(
        page.getByLabel('How many times (or give a last date)').inputValue(),
      ).resolves.toBe('3');
      await expect(
        page.getByLabel('Programme name (e.g. Teen podcast club)').inputValue(),
      ).resolves.toBe('Zine club');

      await page.getByLabel('How many times (or give a last date)').fill('');
      await submit(page, () => page.getByRole('button', { name: 'Book the series' }).click());
      await expect(alertText(page)).resolves.toBe(
        'Not done: Give how many times, or the last date, or both.',
      );
      await expect(
        page.getByLabel('Programme name (e.g. Teen podcast club)').inputValue(),
      ).resolves.toBe('Zine club');
      await expect(page.getByLabel('First booking starts').inputValue()).resolves.toBe(
        `${TOMORROW}T16:00`,
      );
      await done();
    });
  });
});

describe('Refused forms, as a browser without constraint checks sends them', () => {
  let t: TestApp;
  const visitor = 'a-visitor-secret-value';

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  /** Posts a page form as a browser would, then opens the page it is sent back to. */
  async function refused(
    path: string,
    fields: Record<string, string>,
    session?: string,
  ): Promise<string> {
    const secret = session ?? visitor;
    const cookie = session ? `dml_session=${session}` : `dml_csrf=${visitor}`;
    const post = await t.http
      .post(path)
      .set('Cookie', cookie)
      .set('Sec-Fetch-Site', 'same-origin')
      .type('form')
      .send({ ...fields, _csrf: csrfTokenFor(secret) })
      .expect(303);
    const flash = ([] as string[])
      .concat(post.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('dml_flash='))!
      .split(';')[0];
    const page = await t.http
      .get(post.headers.location)
      .set('Cookie', `${cookie}; ${flash}`)
      .expect(200);
    return page.text;
  }

  it('a forgotten-PIN request with a short card number keeps it and names the field', async () => {
    const html = await refused('/reset/request', { cardNumber: '12' });
    expect(html).toContain('Library card number must be 6 to 20 digits');
    expect(html).toMatch(/id="reset-card"[^>]*value="12"/);
  });

  it('a new confirmation link asked with a short card number keeps it', async () => {
    const html = await refused('/verify/resend', { cardNumber: '123' });
    expect(html).toContain('Library card number');
    expect(html).toMatch(/id="verify-card"[^>]*value="123"/);
  });

  it('a sign-in with a short card number names the field and keeps it, but not the PIN', async () => {
    const html = await refused('/login', { cardNumber: '99', pin: 'secret-pin' });
    expect(html).toContain('Library card number must be 6 to 20 digits');
    expect(html).toMatch(/id="cardNumber"[^>]*value="99"/);
    expect(html).not.toContain('secret-pin');
  });

  it('a registration with a bad e-mail keeps the rest and says it in words', async () => {
    const card = uniqueCardNumber();
    const html = await refused('/register', {
      name: 'Rae Register',
      email: 'not-an-address',
      cardNumber: card,
      pin: 'pin-never-back',
      birthDate: '1990-01-01',
    });
    expect(html).toContain('E-mail must be an address like name@example.org');
    expect(html).toContain('value="Rae Register"');
    expect(html).toContain(`value="${card}"`);
    expect(html).not.toContain('pin-never-back');
  });

  it('a new staff account refused for its address keeps the name and the role', async () => {
    const librarian = await signIn(t, 'librarian');
    const html = await refused(
      '/admin/staff',
      { name: 'Sam Second', email: 'staff@example.org', role: 'librarian' },
      librarian,
    );
    expect(html).toMatch(/role="alert"[^>]*>.*Not done: /s);
    expect(html).toMatch(/id="staff-name"[^>]*value="Sam Second"/);
    expect(html).toMatch(/<option value="librarian" selected(="")?>/);
  });

  it('an address with a broken booking id says so in words on the page', async () => {
    const patron = await signIn(t, 'patron');
    const response = await t.http
      .get('/my/bookings/not-an-id/cancel')
      .set('Cookie', `dml_session=${patron}`)
      .expect(404);
    expect(response.text).toContain('That link is damaged or out of date');
    expect(response.text).not.toContain('uuid');
  });
});
