import type { Browser, Page } from 'playwright-core';
import { createTestApp, TestApp } from './create-test-app';
import {
  accessibilityProblems,
  describeInBrowser,
  launchBrowser,
  newPage,
  serve,
  signInAs,
  submit,
} from './browser';
import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
import { bearer, local, newDevice, newPatron, signIn, TestPatron } from './factories';

// Tuesday 1 December 2026, 10:00 in the library (America/New_York).
const NOW = '2026-12-01T15:00:00Z';
const TOMORROW = '2026-12-02';
/** Past the test app's 30-day sessions: every sign-in made at NOW has ended. */
const LATER = '2027-01-01T15:00:00Z';

describeInBrowser('A patron’s account and sessions in a real browser', () => {
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

  async function signInWithCard(page: Page, patron: TestPatron, pin = patron.pin): Promise<void> {
    await page.getByLabel('Library card number').fill(patron.cardNumber);
    await page.getByLabel('PIN').fill(pin);
    await submit(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click());
  }

  it('shows a patron their details, certifications, calendar feed and pause, and passes axe', async () => {
    const patron = await newPatron(t, { name: 'Ada Account', birthDate: '1990-04-01' });
    const device = await newDevice(t, { requiresOrientation: true });
    const staff = await signIn(t, 'staff');
    await t.http
      .post(`/api/patrons/${patron.cardNumber}/certifications`)
      .set(bearer(staff))
      .send({ equipment: device })
      .expect(201);
    const { context, page } = await newPage(browser, base);
    await page.goto('/login');
    await signInWithCard(page, patron);
    await submit(page, () =>
      page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Your account' })
        .click(),
    );
    expect(new URL(page.url()).pathname).toBe('/account');
    const details = page.getByRole('region', { name: 'Your details' });
    await expect(details.textContent()).resolves.toContain('Ada Account');
    await expect(details.textContent()).resolves.toContain(patron.cardNumber);
    await expect(details.textContent()).resolves.toContain('April 1, 1990');
    await expect(details.textContent()).resolves.toContain('adult');
    const certified = page.getByRole('region', { name: 'Devices you are certified for' });
    await expect(certified.getByRole('link').count()).resolves.toBe(1);

    // The feed address is the API's, and it serves this patron's calendar.
    const feed = await page.getByLabel('The address to copy').inputValue();
    const { body } = await t.http.get('/api/me/calendar-feed').set(bearer(patron.token));
    expect(feed).toBe(body.url);
    await t.http.get(new URL(feed).pathname).expect(200);
    expect(await accessibilityProblems(page)).toEqual([]);

    // A new address: the old one stops working.
    await submit(page, () => page.getByRole('button', { name: 'Make a new address' }).click());
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/new address/);
    expect(await page.getByLabel('The address to copy').inputValue()).not.toBe(feed);
    await t.http.get(new URL(feed).pathname).expect(404);

    await expect(page.getByRole('note').count()).resolves.toBe(0);
    await context.close();
  });

  it('tells a patron paused after no-shows until when', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    for (const [from, to] of [
      ['10:30', '11:00'],
      ['12:00', '12:30'],
      ['14:00', '14:30'],
    ])
      await t.http
        .post('/api/bookings')
        .set(bearer(patron.token))
        .send({
          equipment: device,
          start: local(`2026-12-01T${from}`),
          end: local(`2026-12-01T${to}`),
        })
        .expect(201);
    t.clock.set(local('2026-12-01T15:00'));
    await t.app.get(BookingSweeps).markNoShows(t.clock.now());
    const { context, page } = await newPage(browser, base);
    await page.goto('/login');
    await signInWithCard(page, patron);
    await page.goto('/account');
    await expect(page.getByRole('note').textContent()).resolves.toMatch(
      /^Your bookings are paused until Tue, Dec 15, 3:00 PM, after bookings that were missed\./,
    );
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });

  it('changes the PIN: the old one stops working and the new one signs in', async () => {
    const patron = await newPatron(t);
    const { context, page } = await newPage(browser, base);
    await page.goto('/login');
    await signInWithCard(page, patron);
    await page.goto('/account');
    await page.getByLabel('Current PIN').fill('9999');
    await page.getByLabel('New PIN').fill('8642');
    await submit(page, () => page.getByRole('button', { name: 'Change my PIN' }).click());
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Not done: /);

    await page.getByLabel('Current PIN').fill(patron.pin);
    await page.getByLabel('New PIN').fill('8642');
    await submit(page, () => page.getByRole('button', { name: 'Change my PIN' }).click());
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Your PIN is changed/);
    await submit(page, () => page.getByRole('button', { name: 'Sign out' }).click());

    await page.goto('/login');
    await signInWithCard(page, patron);
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Not done: That card number and PIN do not match.',
    );
    await signInWithCard(page, patron, '8642');
    expect(new URL(page.url()).pathname).toBe('/my/bookings');
    await context.close();
  });

  it('sends an ended session to sign in, with a message, and back to the page asked for', async () => {
    const patron = await newPatron(t);
    const { context, page } = await newPage(browser, base);
    await page.goto('/login');
    await signInWithCard(page, patron);
    t.clock.set(LATER);
    await page.goto('/account?from=mail');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/login');
    expect(url.searchParams.get('next')).toBe('/account?from=mail');
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      'Your session ended; sign in to carry on.',
    );
    await signInWithCard(page, patron);
    expect(page.url()).toBe(`${base}/account?from=mail`);
    await context.close();
  });

  it('asks a visitor who never signed in to sign in, in other words', async () => {
    const { context, page } = await newPage(browser, base, { javaScriptEnabled: false });
    await page.goto('/my/bookings');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/my/bookings');
    await expect(page.getByRole('status').textContent()).resolves.toBe('Sign in to continue.');
    await context.close();
  });

  it('says a booking sent after the session ended was not made, and returns to the device', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    const { context, page } = await newPage(browser, base, { javaScriptEnabled: false });
    await page.goto('/login');
    await signInWithCard(page, patron);
    await page.goto(`/equipment/${device}?date=${TOMORROW}`);
    t.clock.set(LATER);
    await submit(page, () => page.getByRole('button', { name: /^2:00 PM/ }).click());
    const url = new URL(page.url());
    expect(url.pathname).toBe('/login');
    expect(url.searchParams.get('next')).toBe(`/equipment/${device}?date=${TOMORROW}`);
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Not done: Your session ended, so the booking was not made. Sign in and book again.',
    );
    const mine = await t.http.get('/api/bookings').set(bearer((await newSession(patron)).token));
    expect(mine.body).toEqual([]);
    await signInWithCard(page, patron);
    expect(page.url()).toBe(`${base}/equipment/${device}?date=${TOMORROW}`);
    await context.close();
  });

  /** A fresh API session for the patron at the test clock's time. */
  async function newSession(patron: TestPatron): Promise<{ token: string }> {
    const response = await t.http
      .post('/api/auth/login')
      .send({ cardNumber: patron.cardNumber, pin: patron.pin })
      .expect(200);
    return response.body as { token: string };
  }

  it.each(['//evil.example/', 'https://evil.example/', '/\\evil.example', '/\t/evil.example'])(
    'never goes on to another site after sign-in (next=%s)',
    async (next) => {
      const { context, page } = await newPage(browser, base);
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      await page.getByLabel('E-mail').fill('staff@example.org');
      await page.getByLabel('Password').fill('staff-demo');
      await submit(page, () => page.getByRole('button', { name: 'Sign in as staff' }).click());
      const url = new URL(page.url());
      expect(url.origin).toBe(base);
      expect(url.pathname).toBe('/desk');
      await context.close();
    },
  );

  it('lets staff see their own details and change their password page', async () => {
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'staff');
    await page.goto('/account');
    const details = page.getByRole('region', { name: 'Your details' });
    await expect(details.textContent()).resolves.toContain('staff@example.org');
    await expect(page.getByLabel('Current password').count()).resolves.toBe(1);
    await expect(
      page.getByRole('region', { name: 'Devices you are certified for' }).count(),
    ).resolves.toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });

  it('serves a favicon, linked from every page, and answers the old name too', async () => {
    const svg = await t.http.get('/favicon.svg').expect(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(String(svg.body ?? svg.text)).toContain('<svg');
    const ico = await t.http.get('/favicon.ico');
    expect([200, 301, 302, 308]).toContain(ico.status);
    if (ico.status !== 200) expect(ico.headers.location).toBe('/favicon.svg');
    const { context, page } = await newPage(browser, base);
    const missing: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 404) missing.push(r.url());
    });
    await page.goto('/');
    await expect(page.locator('link[rel=icon]').getAttribute('href')).resolves.toBe('/favicon.svg');
    expect(missing).toEqual([]);
    await context.close();
  });
});
