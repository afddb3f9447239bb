import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import type { TestApp } from './create-test-app';
import { DEMO } from './factories';

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].filter((p): p is string => Boolean(p));

/** Debian's chromium (installed by .ci/run); tests never download a browser. */
export const BROWSER_PATH = CANDIDATES.find((p) => existsSync(p)) ?? null;
const CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * `describe` for browser suites: skipped with a notice on a machine without Chromium, but a
 * failure under CI, where the browser must be there.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (BROWSER_PATH) return describe(name, body);
  if (CI)
    return describe(name, () => {
      it('finds a Chromium to run in', () => {
        throw new Error(
          `No Chromium at ${CANDIDATES.join(', ')}. Install Debian's chromium (see .ci/run) or set CHROMIUM_PATH.`,
        );
      });
    });
  console.warn(`Skipping "${name}": no Chromium found (set CHROMIUM_PATH).`);
  return describe.skip(name, body);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: BROWSER_PATH!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}

/** Starts the test app on a real port and returns its address. */
export async function serve(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

export async function newPage(
  browser: Browser,
  base: string,
  options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: base, ...options });
  const page = await context.newPage();
  return { context, page };
}

/** WCAG 2.1 A and AA violations axe finds on the page, as readable lines. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

export async function signInAs(page: Page, who: 'patron' | 'staff' | 'librarian'): Promise<void> {
  await page.goto('/login');
  if (who === 'patron') {
    await page.getByLabel('Library card number').fill(DEMO.patron.cardNumber);
    await page.getByLabel('PIN').fill(DEMO.patron.pin);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  } else {
    await page.getByLabel('E-mail').fill(DEMO[who].email);
    await page.getByLabel('Password').fill(DEMO[who].password);
    await page.getByRole('button', { name: 'Sign in as staff' }).click();
  }
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/**
 * Runs an action that submits a form or follows a link, and waits for the page it leads to:
 * a redirect back to the same address would otherwise be indistinguishable from no navigation.
 */
export async function submit(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForEvent('load'), action()]);
}

/** Presses Tab until `target` has the keyboard focus; fails if it is never reached. */
export async function tabTo(page: Page, target: Locator, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}
