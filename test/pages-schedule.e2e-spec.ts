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
  tabTo,
} from './browser';
import { bearer, DEMO, local, newDevice, newPatron, signIn } from './factories';

// Tuesday 1 December 2026, 10:00 in the library (America/New_York).
const NOW = '2026-12-01T15:00:00Z';
const TODAY = '2026-12-01';
const TOMORROW = '2026-12-02';

describeInBrowser('The day grid (/schedule) in a real browser', () => {
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

  /** A station of the test's own, with its name as the grid shows it. */
  async function station(): Promise<{ slug: string; name: string }> {
    const slug = await newDevice(t);
    const device = await t.http.get(`/api/equipment/${slug}`).expect(200);
    return { slug, name: device.body.name as string };
  }

  async function demoPatronBookings(slug: string): Promise<{ start: string; status: string }[]> {
    const token = await signIn(t, 'patron');
    return (await t.http.get(`/api/bookings?equipment=${slug}`).set(bearer(token))).body;
  }

  const gridOf = (page: Page) => page.getByRole('table', { name: /devices down, times across/ });

  it('lets a patron book a free cell and then shows it as theirs', async () => {
    const { slug, name } = await station();
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'patron');
    await page.goto(`/schedule?date=${TOMORROW}&category=editing`);
    await expect(gridOf(page).count()).resolves.toBe(1);
    await expect(page.getByRole('rowheader', { name }).count()).resolves.toBe(1);
    await submit(page, () =>
      page.getByRole('button', { name: `Book ${name} at 11:00 AM` }).click(),
    );
    await page.waitForURL('**/my/bookings');
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /is yours: Wed, Dec 2, 11:00 – 11:30 AM\./,
    );
    expect(await demoPatronBookings(slug)).toEqual([
      expect.objectContaining({ start: local(`${TOMORROW}T11:00`), status: 'confirmed' }),
    ]);
    await page.goto(`/schedule?date=${TOMORROW}&category=editing`);
    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect(row.getByRole('link', { name: /^Yours/ }).count()).resolves.toBe(1);
    await expect(
      row.getByRole('button', { name: `Book ${name} at 11:00 AM` }).count(),
    ).resolves.toBe(0);
    await context.close();
  });

  it('books with the keyboard alone: Tab to a free cell, Enter', async () => {
    const { slug, name } = await station();
    const { context, page } = await newPage(browser, base);
    await page.goto('/login');
    await tabTo(page, page.getByLabel('Library card number'));
    await page.keyboard.type(DEMO.patron.cardNumber);
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO.patron.pin);
    await submit(page, () => page.keyboard.press('Enter'));
    await page.waitForURL('**/my/bookings');
    await page.goto(`/schedule?date=${TOMORROW}&category=editing`);
    await tabTo(page, page.getByRole('button', { name: `Book ${name} at 10:00 AM` }), 400);
    await submit(page, () => page.keyboard.press('Enter'));
    await page.waitForURL('**/my/bookings');
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /is yours: Wed, Dec 2, 10:00 – 10:30 AM\./,
    );
    expect((await demoPatronBookings(slug)).map((b) => b.status)).toEqual(['confirmed']);
    await context.close();
  });

  it('works with JavaScript turned off', async () => {
    const { slug, name } = await station();
    const { context, page } = await newPage(browser, base, { javaScriptEnabled: false });
    await signInAs(page, 'patron');
    await page.goto('/schedule');
    await page.getByLabel('Day', { exact: true }).fill(TOMORROW);
    await page.getByLabel('Category', { exact: true }).selectOption('editing');
    await submit(page, () => page.getByRole('button', { name: 'Show' }).click());
    expect(new URL(page.url()).search).toBe(`?date=${TOMORROW}&area=dml&category=editing`);
    await submit(page, () => page.getByRole('button', { name: `Book ${name} at 3:00 PM` }).click());
    await page.waitForURL('**/my/bookings');
    expect((await demoPatronBookings(slug)).map((b) => b.start)).toEqual([
      local(`${TOMORROW}T15:00`),
    ]);
    await submit(page, () => page.getByRole('link', { name: 'Schedule' }).click());
    await submit(page, () => page.getByRole('link', { name: /Next day/ }).click());
    expect(new URL(page.url()).searchParams.get('date')).toBe(TOMORROW);
    await context.close();
  });

  it('shows anyone taken times as taken, and free ones as a way to sign in', async () => {
    const { slug, name } = await station();
    const patron = await newPatron(t, { name: 'Grace Private' });
    await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: slug, start: local(`${TOMORROW}T12:00`), end: local(`${TOMORROW}T13:00`) })
      .expect(201);
    const { context, page } = await newPage(browser, base);
    await page.goto(`/schedule?date=${TOMORROW}&category=editing`);
    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect(row.getByRole('cell', { name: /^Taken/ }).count()).resolves.toBe(1);
    await expect(page.getByText('Grace Private').count()).resolves.toBe(0);
    await submit(page, () =>
      row.getByRole('link', { name: `Free — sign in to book ${name} at 10:00 AM` }).click(),
    );
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('shows staff the patron and status in the cell, and checks in from it', async () => {
    const { slug, name } = await station();
    const patron = await newPatron(t, { name: 'Ivy Walkthrough' });
    const booked = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: slug, start: local(`${TODAY}T10:30`), end: local(`${TODAY}T11:30`) })
      .expect(201);
    t.clock.set(local(`${TODAY}T10:30`));
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'staff');
    await page.goto(`/schedule?category=editing`);
    const row = page.getByRole('row', { name: new RegExp(name) });
    const cell = row.getByRole('cell', { name: /Ivy Walkthrough/ });
    await expect(cell.textContent()).resolves.toMatch(/Due now: not checked in yet/);
    await expect(cell.textContent()).resolves.toContain(booked.body.code as string);
    await submit(page, () =>
      cell.getByRole('button', { name: `Check in ${booked.body.code}` }).click(),
    );
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Checked in: Ivy/);
    await page.goto(`/schedule?category=editing`);
    await expect(
      page
        .getByRole('row', { name: new RegExp(name) })
        .getByRole('cell', { name: /Ivy Walkthrough/ })
        .textContent(),
    ).resolves.toMatch(/Checked in, in use/);
    await context.close();
  });

  // One viewer per test: axe over a grid of every device takes a while on a busy machine.
  it.each(['anonymous', 'patron', 'staff'] as const)(
    'meets WCAG 2.1 AA for %s viewers and fits a 390 px phone, scrolling the grid inside itself',
    async (who) => {
      await station();
      const found: string[] = [];
      const overflow: string[] = [];
      for (const width of [1280, 390]) {
        const context = await browser.newContext({
          baseURL: base,
          viewport: { width, height: 800 },
        });
        const page = await context.newPage();
        if (who !== 'anonymous') await signInAs(page, who);
        for (const path of [`/schedule?date=${TOMORROW}`, '/schedule?date=2026-12-25']) {
          await page.goto(path);
          const label = `${width} px ${path}`;
          found.push(...(await accessibilityProblems(page)).map((p) => `${label}: ${p}`));
          const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width === 390 && scroll > 390) overflow.push(`${label}: ${scroll} px`);
        }
        if (width === 390) {
          await page.goto(`/schedule?date=${TOMORROW}`);
          const box = page.getByRole('region', { name: /devices down, times across/ });
          await expect(box.getAttribute('tabindex')).resolves.toBe('0');
          const widths = await box.evaluate((el) => [el.scrollWidth, el.clientWidth]);
          expect(widths[0]).toBeGreaterThan(widths[1]);
        }
        await context.close();
      }
      expect({ found, overflow }).toEqual({ found: [], overflow: [] });
    },
  );
});
