import type { Browser } from 'playwright-core';
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
import { bearer, newDevice, signIn } from './factories';

// Tuesday 1 December 2026, 10:00 in the library (America/New_York).
const NOW = '2026-12-01T15:00:00Z';

describeInBrowser('Recurring bookings page for the desk, in a real browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    base = await serve(t);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])(
    'checks a weekly programme first, books it, then cancels it from a date, %s',
    async (_, javaScriptEnabled) => {
      const device = await newDevice(t);
      const title = `Teen podcast club ${javaScriptEnabled ? 'A' : 'B'}`;
      const { context, page } = await newPage(browser, base, { javaScriptEnabled });
      await signInAs(page, 'staff');
      await page.goto('/desk');
      await page.getByRole('link', { name: 'Recurring bookings' }).click();
      if (javaScriptEnabled) expect(await accessibilityProblems(page)).toEqual([]);

      const form = page.getByRole('form', { name: 'Book a series' });
      const fill = async () => {
        await form.getByLabel('Station').selectOption(device);
        await form.getByLabel('First booking starts').fill('2026-12-22T16:00');
        await form.getByLabel('Repeats').selectOption('week');
        await form.getByLabel('How many times').fill('3');
        await form.getByLabel('Programme name').fill(title);
        await form.getByLabel('Book the dates that are free').check();
      };
      await fill();
      await submit(page, () => page.getByRole('button', { name: 'Check the dates first' }).click());
      // Dec 29 is free, but Dec 22 and Jan 5 too; none is booked by a check.
      await expect(page.getByRole('status').textContent()).resolves.toMatch(
        /Checked, nothing booked yet\. Free: 3 dates/,
      );
      const staff = await signIn(t, 'staff');
      const before = await t.http.get(`/api/bookings?equipment=${device}`).set(bearer(staff));
      expect(before.body).toHaveLength(0);

      await fill();
      await submit(page, () => page.getByRole('button', { name: 'Book the series' }).click());
      await expect(page.getByRole('status').textContent()).resolves.toMatch(/Booked 3 dates/);
      const made = await t.http.get(`/api/bookings?equipment=${device}`).set(bearer(staff));
      expect(made.body).toHaveLength(3);

      const item = page.getByRole('listitem').filter({ hasText: title });
      await item.getByLabel('Cancel the bookings from').fill('2026-12-28');
      await submit(page, () => item.getByRole('button', { name: /Cancel from that date/ }).click());
      await expect(page.getByRole('status').textContent()).resolves.toMatch(
        /2 of the series’ 3 bookings are now canceled/,
      );
      if (javaScriptEnabled) expect(await accessibilityProblems(page)).toEqual([]);
      await context.close();
    },
  );

  it('fits a phone without sideways scrolling', async () => {
    const { context, page } = await newPage(browser, base, {
      viewport: { width: 390, height: 800 },
    });
    await signInAs(page, 'staff');
    await page.goto('/desk/series');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await context.close();
  });
});
