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
import { CONFIRM_EMAIL_SUBJECT, newPatron, uniqueCardNumber } from './factories';

// Tuesday 1 December 2026, 10:00 in the library (America/New_York).
const NOW = '2026-12-01T15:00:00Z';

describeInBrowser('Confirming an e-mail address in a real browser', () => {
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

  /** The newest confirmation link e-mailed for the card, as a path on this server. */
  async function linkFor(cardNumber: string): Promise<string> {
    const links = (await t.mailbox())
      .filter((m) => m.subject === CONFIRM_EMAIL_SUBJECT && m.text?.includes(cardNumber))
      .map((m) => /http:\/\/localhost:3000(\/verify\?token=[\w-]+)/.exec(m.text ?? '')![1]);
    return links[links.length - 1];
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await accessibilityProblems(page)).toEqual([]);
  }

  it('registers, waits for the e-mail, and confirms from the link', async () => {
    const cardNumber = uniqueCardNumber();
    const { context, page } = await newPage(browser, base);
    await page.goto('/register');
    await page.getByLabel('Your name').fill('Vera Verify');
    await page.getByLabel('E-mail').fill(`vera${cardNumber}@example.org`);
    await page.getByLabel('Library card number').fill(cardNumber);
    await page.getByLabel('PIN').fill('4455');
    await page.getByLabel('Date of birth').fill('1990-04-01');
    await submit(page, () => page.getByRole('button', { name: 'Register' }).click());
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /e-mailed .* a link: open it to confirm your address/,
    );

    await page.goto('/my/bookings');
    const notice = page.getByRole('region', { name: 'Confirm your e-mail address to book' });
    await expect(notice.textContent()).resolves.toContain('or show your library card at the desk');
    await expectAccessible(page);
    await submit(page, () => page.getByRole('button', { name: 'E-mail me a new link' }).click());
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /We have e-mailed a new link to vera/,
    );

    await page.goto(await linkFor(cardNumber));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Confirm your e-mail address',
    );
    await expectAccessible(page);
    await submit(page, () =>
      page.getByRole('button', { name: 'Confirm my e-mail address' }).click(),
    );
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /Vera Verify: your e-mail address is confirmed/,
    );
    await page.goto('/my/bookings');
    await expect(page.getByText('Confirm your e-mail address to book').count()).resolves.toBe(0);
    await context.close();
  });

  it('tells a used or expired link apart and sends a new one', async () => {
    const patron = await newPatron(t, { unverified: true });
    const expired = await linkFor(patron.cardNumber);
    t.clock.advance(48 * 60 + 1);
    const { context, page } = await newPage(browser, base);
    const response = await page.goto(expired);
    expect(response?.status()).toBe(410);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/has expired/);
    await expectAccessible(page);

    await page.getByLabel('Library card number').fill(patron.cardNumber);
    await submit(page, () => page.getByRole('button', { name: 'E-mail me a new link' }).click());
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/a new link/);
    const fresh = await linkFor(patron.cardNumber);
    expect(fresh).not.toBe(expired);
    await page.goto(fresh);
    await submit(page, () =>
      page.getByRole('button', { name: 'Confirm my e-mail address' }).click(),
    );
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/is confirmed/);

    const again = await page.goto(fresh);
    expect(again?.status()).toBe(410);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/already been used/);
    await context.close();
  });

  it('lets the desk verify a patron after seeing the card', async () => {
    const patron = await newPatron(t, { unverified: true, name: 'Cato Card' });
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'staff');
    await page.goto(`/desk/patrons?q=${patron.cardNumber}`);
    await expect(page.getByText('Not yet: e-mail address not confirmed').count()).resolves.toBe(1);
    await expectAccessible(page);
    await submit(page, () =>
      page.getByRole('button', { name: 'Verify: I have seen the card of Cato Card' }).click(),
    );
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /Cato Card is verified and can book\./,
    );
    await expect(page.getByText('Not yet: e-mail address not confirmed').count()).resolves.toBe(0);
    await context.close();
  });
});
