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
} from './browser';
import { bearer, signIn } from './factories';

const NOW = '2026-12-01T15:00:00Z';

describeInBrowser('Librarian pages in a real browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let librarian: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    base = await serve(t);
    browser = await launchBrowser();
    librarian = await signIn(t, 'librarian');
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function status(page: Page): Promise<string> {
    return (await page.getByRole('status').textContent()) ?? '';
  }

  it('writes, reorders, publishes, revises and restores a walkthrough', async () => {
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'librarian');
    await page.goto('/admin/manuals');
    await page.getByLabel('Short name for its address').fill('kiosk-basics');
    await page.getByLabel('Title').fill('Using the scanning kiosk');
    await submit(page, () => page.getByRole('button', { name: 'Start the draft' }).click());
    await page.waitForURL('**/admin/manuals/kiosk-basics/edit');

    await page.getByLabel('Summary').fill('Scan a document to your e-mail.');
    await page.getByLabel('Step 1 title').fill('Put the page face down');
    await page.getByLabel('Step 1 text').fill('Line it up with the **arrow**.');
    await submit(page, () => page.getByRole('button', { name: 'Add a step' }).click());
    await page.waitForURL('**/admin/manuals/kiosk-basics/edit#step-1');
    await expect(status(page)).resolves.toMatch(/Draft saved/);
    await page.getByLabel('Step 2 title').fill('Wake the screen');
    await page.getByLabel('Step 2 text').fill('Touch the screen once.');
    await submit(page, () => page.getByRole('button', { name: 'Move step 2 up' }).click());
    await page.waitForURL('**/admin/manuals/kiosk-basics/edit*');
    await expect(page.getByLabel('Step 1 title').inputValue()).resolves.toBe('Wake the screen');
    await expect(page.getByLabel('Step 2 title').inputValue()).resolves.toBe(
      'Put the page face down',
    );

    await page.getByLabel('What changed (for the history)').fill('First version');
    await submit(page, () => page.getByRole('button', { name: 'Publish the draft' }).click());
    await expect(status(page)).resolves.toMatch(/Published as revision 1/);
    const first = await t.http.get('/api/manuals/kiosk-basics').expect(200);
    expect(first.body.steps.map((s: { title: string }) => s.title)).toEqual([
      'Wake the screen',
      'Put the page face down',
    ]);
    expect(first.body.steps[1].html).toContain('<strong>arrow</strong>');

    await page.getByLabel('Step 1 title').fill('Wake the kiosk screen');
    await submit(page, () => page.getByRole('button', { name: 'Save draft' }).click());
    await submit(page, () => page.getByRole('button', { name: 'Publish the draft' }).click());
    await expect(status(page)).resolves.toMatch(/revision 2/);
    await submit(page, () =>
      page.getByRole('link', { name: 'Compare revision 1 with the current one' }).click(),
    );
    const step = page.getByRole('region', { name: 'Step 1', exact: true });
    await expect(step.getByRole('heading', { level: 4 }).allTextContents()).resolves.toEqual([
      'Wake the screen',
      'Wake the kiosk screen',
    ]);
    await expect(step.locator('ins').allTextContents()).resolves.toEqual(['kiosk']);
    expect(await accessibilityProblems(page)).toEqual([]);

    await submit(page, () => page.getByRole('link', { name: 'Back to the editor' }).click());
    await submit(page, () =>
      page.getByRole('button', { name: 'Restore revision 1 as the draft' }).click(),
    );
    await expect(status(page)).resolves.toMatch(/Revision 1 is the draft now/);
    await expect(page.getByLabel('Step 1 title').inputValue()).resolves.toBe('Wake the screen');
    await submit(page, () => page.getByRole('button', { name: 'Publish the draft' }).click());
    const third = await t.http.get('/api/manuals/kiosk-basics').expect(200);
    expect(third.body.revision).toBe(3);
    expect(third.body.steps[0].title).toBe('Wake the screen');
    await context.close();
  });

  it('previews markdown live and keeps the text when a save is refused', async () => {
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'librarian');
    await page.goto('/admin/manuals/podcast-studio-basics/edit');
    await page
      .getByLabel('Step 1 text')
      .fill('> **Caution:** keep drinks away\n\nThen <script>alert(1)</script> **go**.');
    const preview = page.locator('#step-0-body-preview');
    await expect(
      preview
        .locator('aside.callout-caution')
        .waitFor({ timeout: 5000 })
        .then(() => 'shown'),
    ).resolves.toBe('shown');
    expect(await preview.innerHTML()).not.toContain('<script');
    await page.getByLabel('Title', { exact: true }).fill('');
    await page.getByLabel('Step 2 text').fill('Words I must not lose');
    await page
      .locator('form.editor')
      .evaluate((form) => ((form as HTMLFormElement).noValidate = true));
    await submit(page, () => page.getByRole('button', { name: 'Save draft' }).click());
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Not done: Title must /);
    await expect(page.getByLabel('Step 2 text').inputValue()).resolves.toBe(
      'Words I must not lose',
    );
    const draft = await t.http
      .get('/api/manuals/podcast-studio-basics/draft')
      .set(bearer(librarian))
      .expect(200);
    expect(JSON.stringify(draft.body.content)).not.toContain('Words I must not lose');
    await context.close();
  });

  it('adds, edits and retires a device, and sets the hours and a closed day', async () => {
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'librarian');
    await page.goto('/admin/equipment');
    const add = page.getByRole('form', { name: 'New device' });
    await add.getByLabel('Short name for addresses').fill('zine-stapler');
    await add.getByLabel('Name', { exact: true }).fill('Long-reach stapler');
    await add.getByLabel('Category').selectOption({ index: 0 });
    await add.getByLabel('Description').fill('For zines and booklets.');
    await submit(page, () => add.getByRole('button', { name: 'Add the device' }).click());
    await page.waitForURL('**/admin/equipment/zine-stapler');
    await expect(status(page)).resolves.toMatch(/Long-reach stapler added/);
    await page.getByLabel('Status').selectOption('out_of_service');
    await page.getByLabel('Parts of the kit, one per line').fill('Stapler\nBox of staples');
    await page.getByLabel('Patron groups who may book').fill('Teen, adult');
    await page.getByLabel('Daily limit per patron in minutes').fill('120');
    await page.getByLabel('Patrons’ bookings wait for staff approval').check();
    await page.getByLabel('Hours staff have to decide').fill('24');
    await submit(page, () => page.getByRole('button', { name: 'Save changes' }).click());
    await expect(status(page)).resolves.toMatch(/saved/);
    const saved = await t.http.get('/api/equipment/zine-stapler').expect(200);
    expect(saved.body).toMatchObject({
      status: 'out_of_service',
      parts: ['Stapler', 'Box of staples'],
      policy: {
        groups: ['teen', 'adult'],
        maxMinutesPerDay: 120,
        requiresApproval: true,
        approvalHours: 24,
      },
    });
    // Unticked, the box takes the approval off again; the other settings stay.
    await page.getByLabel('Patrons’ bookings wait for staff approval').uncheck();
    await submit(page, () => page.getByRole('button', { name: 'Save changes' }).click());
    const unticked = await t.http.get('/api/equipment/zine-stapler').expect(200);
    expect(unticked.body.policy).toMatchObject({ requiresApproval: false, maxMinutesPerDay: 120 });
    expect(await accessibilityProblems(page)).toEqual([]);
    await submit(page, () =>
      page.getByRole('button', { name: 'Retire Long-reach stapler' }).click(),
    );
    await expect(status(page)).resolves.toMatch(/retired/);
    expect((await t.http.get('/api/equipment/zine-stapler').expect(200)).body.status).toBe(
      'retired',
    );

    await page.goto('/admin/hours');
    await page.getByLabel('Sunday: opens at', { exact: true }).fill('');
    await page.getByLabel('Sunday: closes at', { exact: true }).fill('');
    await submit(page, () => page.getByRole('button', { name: 'Save the week' }).click());
    await expect(status(page)).resolves.toMatch(/weekly hours are saved/);
    const sunday = await t.http.get('/api/hours?from=2026-12-06&to=2026-12-06').expect(200);
    expect(sunday.body[0].isOpen).toBe(false);
    await page.getByLabel('Date').fill('2026-12-09');
    await page.getByLabel('Why (patrons see this)').fill('Staff training');
    await submit(page, () => page.getByRole('button', { name: 'Close that day' }).click());
    await expect(status(page)).resolves.toMatch(
      /The whole library is closed on Wednesday, December 9, 2026\./,
    );
    expect(
      (await t.http.get('/api/hours?from=2026-12-09&to=2026-12-09').expect(200)).body[0].isOpen,
    ).toBe(false);
    await submit(page, () =>
      page.getByRole('button', { name: 'Reopen on Wednesday, December 9, 2026' }).click(),
    );
    await expect(status(page)).resolves.toMatch(/opens as usual/);
    expect(
      (await t.http.get('/api/hours?from=2026-12-09&to=2026-12-09').expect(200)).body[0].isOpen,
    ).toBe(true);
    await context.close();
  });

  it('adds step pictures and a device photo by upload, refusing a disguised file', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'librarian');
    await page.goto('/admin/manuals/podcast-studio-basics/edit');
    await page.getByLabel('New picture for step 1 (PNG, JPEG, WebP or GIF)').setInputFiles({
      name: 'sneaky.png',
      mimeType: 'image/png',
      buffer: Buffer.from('<svg onload="alert(1)"/>'),
    });
    await page.getByLabel('What the new picture for step 1 shows').fill('Not a picture');
    await submit(page, () =>
      page.getByRole('button', { name: 'Upload the picture to step 1' }).click(),
    );
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(
      /SVG|not an image|PNG, JPEG/i,
    );

    await page
      .getByLabel('New picture for step 1 (PNG, JPEG, WebP or GIF)')
      .setInputFiles({ name: 'mixer.png', mimeType: 'image/png', buffer: png });
    await page
      .getByLabel('What the new picture for step 1 shows')
      .fill('The mixer, gain knobs at noon');
    await submit(page, () =>
      page.getByRole('button', { name: 'Upload the picture to step 1' }).click(),
    );
    await expect(status(page)).resolves.toMatch(/Picture added to step 1/);
    await expect(page.getByLabel('Step 1 picture 1: what it shows').inputValue()).resolves.toBe(
      'The mixer, gain knobs at noon',
    );
    await page.getByLabel('What changed (for the history)').fill('Picture of the mixer');
    await submit(page, () => page.getByRole('button', { name: 'Publish the draft' }).click());
    const published = await t.http.get('/api/manuals/podcast-studio-basics').expect(200);
    const [image] = published.body.steps[0].images;
    expect(image.alt).toBe('The mixer, gain knobs at noon');
    const served = await t.http.get(image.src).expect(200);
    expect(Buffer.compare(served.body as Buffer, png)).toBe(0);
    await page.goto('/manuals/podcast-studio-basics?step=1');
    await expect(
      page.getByRole('img', { name: 'The mixer, gain knobs at noon' }).count(),
    ).resolves.toBe(1);

    await page.goto('/admin/equipment/podcast-studio');
    await page.getByLabel('Photo (PNG, JPEG, WebP or GIF, at most 5 MB)').setInputFiles({
      name: 'studio.png',
      mimeType: 'image/png',
      buffer: png,
    });
    await page.getByLabel('What the photo shows').fill('The studio with two microphones');
    await submit(page, () => page.getByRole('button', { name: 'Upload the photo' }).click());
    await expect(status(page)).resolves.toMatch(/photo of .* is saved/);
    await page.goto('/equipment/podcast-studio');
    await expect(
      page.getByRole('img', { name: 'The studio with two microphones' }).count(),
    ).resolves.toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });

  it('meets WCAG 2.1 AA on every librarian page', async () => {
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'librarian');
    const found: string[] = [];
    for (const path of [
      '/admin/equipment',
      '/admin/equipment/podcast-studio',
      '/admin/hours',
      '/admin/manuals',
      '/admin/manuals/podcast-studio-basics/edit',
    ]) {
      await page.goto(path);
      found.push(...(await accessibilityProblems(page)).map((p) => `${path}: ${p}`));
    }
    expect(found).toEqual([]);
    await context.close();
  });

  it('keeps patrons and staff out of the librarian pages', async () => {
    const { context, page } = await newPage(browser, base);
    const anonymous = await page.goto('/admin/equipment');
    expect(new URL(anonymous!.url()).pathname).toBe('/login');
    await signInAs(page, 'staff');
    const staff = await page.goto('/admin/manuals');
    expect(staff!.status()).toBe(403);
    await context.close();
  });
});
