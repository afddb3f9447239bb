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
import { bearer, DEMO, newDevice, signIn } from './factories';

// Tuesday 1 December 2026, 10:00 in the library (America/New_York).
const NOW = '2026-12-01T15:00:00Z';

describeInBrowser('Booking questions and terms on the booking page, in a real browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    base = await serve(t);
    browser = await launchBrowser();
    staff = await signIn(t, 'staff');
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])('asks the questions and the terms before booking, %s', async (_, javaScriptEnabled) => {
    const device = await newDevice(t);
    const librarian = await signIn(t, 'librarian');
    await t.http
      .patch(`/api/equipment/${device}`)
      .set(bearer(librarian))
      .send({
        policy: {
          questions: [
            { id: 'project', label: 'What will you record?', type: 'text', required: true },
            { id: 'music', label: 'Will you use music?', type: 'yes-no', required: false },
          ],
          terms: 'Leave the studio as you found it.',
        },
      })
      .expect(200);
    const { context, page } = await newPage(browser, base, { javaScriptEnabled });
    await signInAs(page, 'patron');
    await page.goto(`/equipment/${device}?date=2026-12-02`);
    await expect(page.getByText('Leave the studio as you found it.').count()).resolves.toBe(1);
    if (javaScriptEnabled) expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByLabel('What will you record?').fill('An oral history interview');
    await page.getByLabel('Will you use music? (optional)').selectOption('no');
    await page.getByLabel('I have read and accept these terms').check();
    await submit(page, () => page.getByRole('button', { name: /^11:00 AM/ }).click());
    await page.waitForURL('**/my/bookings');
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/is yours/);

    const mine = await t.http
      .get(`/api/bookings?equipment=${device}`)
      .set(bearer(staff))
      .expect(200);
    expect(mine.body).toEqual([
      expect.objectContaining({
        patron: expect.objectContaining({ cardNumber: DEMO.patron.cardNumber }),
        answers: { project: 'An oral history interview', music: false },
        termsAcceptedAt: expect.any(String),
      }),
    ]);
    await context.close();
  });
});
