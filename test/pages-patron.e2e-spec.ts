import type { Browser, Page } from 'playwright-core';
import { createTestApp, TestApp } from './create-test-app';
import {
  accessibilityProblems,
  describeInBrowser,
  launchBrowser,
  newPage,
  serve,
  submit,
  signInAs,
  tabTo,
} from './browser';
import { bearer, DEMO, local, newDevice, newPatron, signIn } from './factories';
import { XSS_PAYLOADS } from './xss-payloads';

// Tuesday 1 December 2026, 10:00 in the library (America/New_York).
const NOW = '2026-12-01T15:00:00Z';
const TOMORROW = '2026-12-02';

describeInBrowser('Patron pages in a real browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let device: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    base = await serve(t);
    browser = await launchBrowser();
    device = await newDevice(t, { policy: { minMinutes: 30, maxMinutes: 120 } });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function patronBookings(): Promise<{ code: string; status: string }[]> {
    const token = await signIn(t, 'patron');
    const response = await t.http.get(`/api/bookings?equipment=${device}`).set(bearer(token));
    return response.body;
  }

  async function bookAndCancel(page: Page): Promise<void> {
    await page.goto(`/equipment/${device}?date=${TOMORROW}`);
    await page.getByLabel('How long').selectOption({ label: '1 h' });
    await submit(page, () => page.getByRole('button', { name: /^11:00 AM/ }).click());
    await page.waitForURL('**/my/bookings');
    const done = page.getByRole('status');
    await expect(done.textContent()).resolves.toMatch(
      /is yours: Wed, Dec 2, 11:00 AM – 12:00 PM\. Your booking code is/,
    );
    const code = /booking code is ([A-Z0-9]+)/.exec((await done.textContent()) ?? '')![1];
    expect((await patronBookings()).find((b) => b.code === code)?.status).toBe('confirmed');

    await submit(page, () => page.getByRole('link', { name: `Cancel booking ${code}` }).click());
    await submit(page, () =>
      page.getByRole('button', { name: `Yes, cancel booking ${code}` }).click(),
    );
    await page.waitForURL('**/my/bookings');
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/^Done: Canceled /);
    expect((await patronBookings()).find((b) => b.code === code)?.status).toBe('cancelled');
  }

  it('lets a patron sign in, book a free time and cancel it', async () => {
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'patron');
    await bookAndCancel(page);
    await context.close();
  });

  it('works with JavaScript turned off, rescheduling included', async () => {
    const { context, page } = await newPage(browser, base, { javaScriptEnabled: false });
    await signInAs(page, 'patron');
    await page.goto(`/equipment/${device}?date=${TOMORROW}`);
    await submit(page, () => page.getByRole('button', { name: /^2:00 PM/ }).click());
    await page.waitForURL('**/my/bookings');
    const code = /booking code is ([A-Z0-9]+)/.exec(
      (await page.getByRole('status').textContent()) ?? '',
    )![1];
    await submit(page, () =>
      page.getByRole('link', { name: `Change the time of ${code}` }).click(),
    );
    await submit(page, () => page.getByRole('button', { name: /^3:30 PM/ }).click());
    await page.waitForURL('**/my/bookings');
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /moved to Wed, Dec 2, 3:30 – 4:00 PM\. Your code is still/,
    );
    await submit(page, () => page.getByRole('link', { name: `Cancel booking ${code}` }).click());
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(
      /^Cancel .+\?$/,
    );
    await submit(page, () =>
      page.getByRole('button', { name: `Yes, cancel booking ${code}` }).click(),
    );
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /^Done: Canceled .+, Wed, Dec 2, 3:30 – 4:00 PM\. The time is free for others now\./,
    );
    await context.close();
  });

  it('can be done with the keyboard alone', async () => {
    const { context, page } = await newPage(browser, base);
    await page.goto('/login');
    await tabTo(page, page.getByLabel('Library card number'));
    await page.keyboard.type(DEMO.patron.cardNumber);
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO.patron.pin);
    await submit(page, () => page.keyboard.press('Enter'));
    await page.waitForURL('**/my/bookings');
    await page.goto(`/equipment/${device}?date=${TOMORROW}`);
    await tabTo(page, page.getByLabel('How long'));
    await page.keyboard.press('ArrowDown');
    await tabTo(page, page.getByRole('button', { name: /^4:00 PM/ }));
    await submit(page, () => page.keyboard.press('Enter'));
    await page.waitForURL('**/my/bookings');
    const status = (await page.getByRole('status').textContent()) ?? '';
    expect(status).toMatch(/Wed, Dec 2, 4:00 – 5:00 PM/);
    const code = /booking code is ([A-Z0-9]+)/.exec(status)![1];
    await tabTo(page, page.getByRole('link', { name: `Cancel booking ${code}` }));
    await submit(page, () => page.keyboard.press('Enter'));
    await tabTo(page, page.getByRole('button', { name: `Yes, cancel booking ${code}` }));
    await submit(page, () => page.keyboard.press('Enter'));
    await page.waitForURL('**/my/bookings');
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /^Done: Canceled .+, Wed, Dec 2, 4:00 – 5:00 PM\. The time is free for others now\./,
    );
    await context.close();
  });

  it('shows a refusal as an alert and keeps the patron on the page', async () => {
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'patron');
    const taken = await newDevice(t);
    await page.goto(`/equipment/${taken}?date=${TOMORROW}`);
    // Someone else books 12:00 while the page is open: the button is stale when pressed.
    const rival = await newPatron(t);
    await t.http
      .post('/api/bookings')
      .set(bearer(rival.token))
      .send({
        equipment: taken,
        start: local(`${TOMORROW}T12:00`),
        end: local(`${TOMORROW}T13:00`),
      })
      .expect(201);
    await submit(page, () => page.getByRole('button', { name: /^12:00 PM/ }).click());
    await page.waitForURL(`**/equipment/${taken}?date=${TOMORROW}`);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Not done: .+/);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe(
      'alert',
    );
    await context.close();
  });

  it('meets WCAG 2.1 AA on every patron page', async () => {
    const { context, page } = await newPage(browser, base);
    const pages = [
      '/',
      '/?category=audio',
      `/equipment/${device}?date=${TOMORROW}`,
      '/equipment/camera-kit-1',
      '/login',
      '/register',
      '/manuals',
      '/manuals/podcast-studio-basics',
      '/manuals/podcast-studio-basics?step=1',
      '/manuals/podcast-studio-basics/print',
    ];
    const found: string[] = [];
    for (const path of pages) {
      await page.goto(path);
      found.push(...(await accessibilityProblems(page)).map((p) => `${path}: ${p}`));
    }
    await signInAs(page, 'patron');
    await page.goto(`/equipment/${device}?date=${TOMORROW}`);
    await submit(page, () => page.getByRole('button', { name: /^1:00 PM/ }).click());
    await page.waitForURL('**/my/bookings');
    for (const path of [
      '/my/bookings',
      `/equipment/${device}?date=${TOMORROW}`,
      '/manuals/podcast-studio-basics?step=2',
    ]) {
      await page.goto(path);
      found.push(...(await accessibilityProblems(page)).map((p) => `${path}: ${p}`));
    }
    await submit(page, () => page.getByRole('link', { name: 'My bookings' }).click());
    await submit(page, () =>
      page
        .getByRole('link', { name: /^Change the time/ })
        .first()
        .click(),
    );
    found.push(...(await accessibilityProblems(page)).map((p) => `reschedule: ${p}`));
    expect(found).toEqual([]);
    await context.close();
  });

  it('keeps a patron’s place in a walkthrough step by step', async () => {
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'patron');
    await page.goto('/manuals/podcast-studio-basics');
    await submit(page, () => page.getByRole('link', { name: 'Start at step 1' }).click());
    await submit(page, () => page.getByRole('button', { name: 'Done: go to step 2' }).click());
    await expect(
      page.getByText('Step 2 of', { exact: false }).first().textContent(),
    ).resolves.toMatch(/Step 2 of \d+/);
    await page.goto('/manuals/podcast-studio-basics');
    await expect(page.getByRole('note').textContent()).resolves.toMatch(/reached step 1 of/);
    await expect(page.getByRole('link', { name: 'Go on with step 2' }).count()).resolves.toBe(1);
    await context.close();
  });

  it('opens a manual full of XSS payloads without running any of them', async () => {
    const librarian = await signIn(t, 'librarian');
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const uploaded = await t.http
      .post('/api/images')
      .set(bearer(librarian))
      .attach('file', png, 'x.png')
      .expect(201);
    // Hostile alt text on the step pictures too (one line each, as alt text must be).
    const oneLine = XSS_PAYLOADS.filter((p) => [...p].every((c) => c >= ' '));
    const steps = XSS_PAYLOADS.slice(0, 30).map((payload, i) => ({
      // Titles are one line: control characters (a tab in one payload) are refused there.
      title: `Step ${i} ${payload}`.replace(/\p{Cc}/gu, ' ').slice(0, 200),
      body: `${payload}\n\n![${payload}](https://example.org/${encodeURIComponent(payload)}.png)`,
      images: [
        { src: uploaded.body.url as string, alt: oneLine[i % oneLine.length].slice(0, 300) },
      ],
    }));
    const created = await t.http
      .post('/api/manuals')
      .set(bearer(librarian))
      .send({
        slug: 'hostile-pages',
        title: XSS_PAYLOADS[0],
        summary: XSS_PAYLOADS[2],
        difficulty: 'easy',
        estimatedMinutes: [5, 10],
        equipment: [],
        bring: [XSS_PAYLOADS[4]],
        prerequisites: [],
        grantsCertification: false,
        introduction: XSS_PAYLOADS.join('\n\n'),
        steps,
        conclusion: XSS_PAYLOADS.slice(-5).join('\n\n'),
      });
    expect([created.status, created.body.message]).toEqual([201, undefined]);
    await t.http
      .post('/api/manuals/hostile-pages/publish')
      .set(bearer(librarian))
      .send({})
      .expect(200);

    const { context, page } = await newPage(browser, base);
    const ran: string[] = [];
    const offsite: string[] = [];
    page.on('dialog', (dialog) => {
      ran.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.hostname !== '127.0.0.1' && url.protocol !== 'data:') offsite.push(request.url());
    });
    await page.goto('/manuals/hostile-pages');
    for (let step = 1; step <= steps.length; step++)
      await page.goto(`/manuals/hostile-pages?step=${step}`);
    await page.goto('/manuals/hostile-pages/print');
    await page.goto('/manuals?q=script');
    expect(await page.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBe(
      0,
    );
    expect(ran).toEqual([]);
    // Remote images in markdown may load, and video players from the allowed hosts; no script
    // or frame from anywhere else.
    const allowed = [
      'https://example.org/',
      'https://www.youtube-nocookie.com/embed/',
      'https://player.vimeo.com/video/',
    ];
    expect(offsite.filter((u) => !allowed.some((prefix) => u.startsWith(prefix)))).toEqual([]);
    await context.close();
  });

  it('sends a Content Security Policy without inline scripts and refuses a form without its token', async () => {
    const page = await t.http.get('/').expect(200);
    const policy = page.headers['content-security-policy'];
    expect(policy).toMatch(/script-src 'self'/);
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    // Another site can make the browser send the session cookie, but not the form's token.
    const session = await signIn(t, 'patron');
    const forged = await t.http
      .post(`/equipment/${device}/book`)
      .set('Cookie', `dml_session=${session}`)
      .type('form')
      .send({ start: '2026-12-02T17:00:00Z', minutes: '30' });
    expect(forged.status).toBe(403);
    expect(forged.text).toMatch(/This form has expired/);
  });
});
