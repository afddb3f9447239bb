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
import { bearer, local, mailTo, newDevice, newPatron, signIn } from './factories';

// Tuesday 1 December 2026, 10:00 in the library (America/New_York).
const NOW = '2026-12-01T15:00:00Z';

describeInBrowser('Booking requests page for the desk, in a real browser', () => {
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
    'approves one request and declines another with a reason, %s',
    async (_, javaScriptEnabled) => {
      const device = await newDevice(t, { policy: { requiresApproval: true } });
      const [ada, alan] = [
        await newPatron(t, { name: 'Ada Lovelace' }),
        await newPatron(t, { name: 'Alan Turing' }),
      ];
      const ask = async (token: string, from: string, to: string) =>
        (
          await t.http
            .post('/api/bookings')
            .set(bearer(token))
            .send({ equipment: device, start: local(from), end: local(to) })
            .expect(201)
        ).body as { id: string; code: string; status: string };
      const first = await ask(ada.token, '2026-12-02T11:00', '2026-12-02T12:00');
      const second = await ask(alan.token, '2026-12-02T13:00', '2026-12-02T14:00');
      expect([first.status, second.status]).toEqual(['pending', 'pending']);

      const { context, page } = await newPage(browser, base, { javaScriptEnabled });
      await signInAs(page, 'staff');
      await page.goto('/desk');
      // The desk says what waits for it before anything else.
      const attention = page.getByRole('region', { name: 'Waiting for the desk' });
      await expect(attention.textContent()).resolves.toContain(
        '2 booking requests to approve or decline',
      );
      await attention
        .getByRole('link', { name: '2 booking requests to approve or decline' })
        .click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Booking requests to decide',
      );
      // axe runs as a script in the page, so it checks the page with JavaScript on.
      if (javaScriptEnabled) expect(await accessibilityProblems(page)).toEqual([]);
      const firstItem = page.getByRole('listitem').filter({ hasText: first.code });
      await expect(firstItem.textContent()).resolves.toContain('Ada Lovelace');

      await submit(page, () => page.getByRole('button', { name: `Approve ${first.code}` }).click());
      await expect(page.getByRole('status').textContent()).resolves.toMatch(
        new RegExp(`Approved: .+ for Ada Lovelace \\(${first.code}\\)`),
      );

      // A decline needs a reason: the browser asks for it before anything is sent.
      await page.getByLabel('Reason for declining').fill('The studio is closed for a class.');
      await submit(page, () =>
        page.getByRole('button', { name: `Decline ${second.code}` }).click(),
      );
      await expect(page.getByRole('status').textContent()).resolves.toMatch(
        /Declined: .+ for Alan Turing/,
      );
      await expect(page.getByText('Nothing is waiting for approval.').count()).resolves.toBe(1);
      if (javaScriptEnabled) expect(await accessibilityProblems(page)).toEqual([]);

      const staff = await signIn(t, 'staff');
      const states = [];
      for (const b of [first, second])
        states.push(
          (await t.http.get(`/api/bookings/${b.id}`).set(bearer(staff)).expect(200)).body.status,
        );
      expect(states).toEqual(['confirmed', 'cancelled']);
      const declined = (await mailTo(t, alan)).find((m) => /declined/.test(String(m.subject)));
      expect(declined?.text).toContain('The studio is closed for a class.');
      await context.close();
    },
  );

  it('fits a phone without sideways scrolling', async () => {
    const device = await newDevice(t, { policy: { requiresApproval: true } });
    const patron = await newPatron(t, { name: 'Grace Brewster Murray Hopper' });
    await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: local('2026-12-03T11:00'), end: local('2026-12-03T12:00') })
      .expect(201);
    const { context, page } = await newPage(browser, base, {
      viewport: { width: 390, height: 800 },
    });
    await signInAs(page, 'staff');
    await page.goto('/desk/approvals');
    await expect(page.getByText('Grace Brewster Murray Hopper').count()).resolves.toBe(1);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });
});
