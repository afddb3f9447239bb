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
import { bearer, signIn } from './factories';

const NOW = '2026-12-01T15:00:00Z';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A page comparing two versions of a walkthrough reads as patrons see it: pictures by what they
 * show, no hashes or YAML; it passes the accessibility checks at 1280 px and at 390 px, where it
 * fits without scrolling sideways.
 */
async function expectReadableComparison(page: Page, pictureShows: string): Promise<void> {
  const text = (await page.locator('main').textContent()) ?? '';
  expect(text).toContain(`Picture: ${pictureShows}`);
  expect(text).not.toMatch(/[0-9a-f]{16,}/);
  expect(text).not.toMatch(/^\s*(steps|title|images):/m);
  expect(text).not.toContain('---');
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 900 });
  await expect(
    page.evaluate(() => document.documentElement.scrollWidth),
  ).resolves.toBeLessThanOrEqual(390);
  expect(await accessibilityProblems(page)).toEqual([]);
}

/**
 * Chooses `file` as step `step`'s new picture (none: the field left empty), says what it shows
 * and presses that step's upload button, on the full editor or the step's own page.
 */
async function uploadPicture(
  page: Page,
  step: number,
  shows: string,
  file?: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  if (file)
    await page
      .getByLabel(`New picture for step ${step} (PNG, JPEG, WebP or GIF)`)
      .setInputFiles(file);
  await page.getByLabel(`What the new picture for step ${step} shows`).fill(shows);
  await submit(page, () =>
    page.getByRole('button', { name: `Upload the picture to step ${step}` }).click(),
  );
}

/**
 * In the full editor: a new title for step 1, a word before its text, and a new picture uploaded
 * with what it shows (the upload saves the text typed with it). Returns the title it replaced.
 */
async function rewriteFirstStep(
  page: Page,
  slug: string,
  change: { title: string; opening: string; picture: string; shows: string },
): Promise<{ oldTitle: string }> {
  await page.goto(`/admin/manuals/${slug}/edit`);
  const oldTitle = await page.getByLabel('Step 1 title').inputValue();
  const oldBody = await page.getByLabel('Step 1 text').inputValue();
  await page.getByLabel('Step 1 title').fill(change.title);
  await page.getByLabel('Step 1 text').fill(`${change.opening} ${oldBody}`);
  await uploadPicture(page, 1, change.shows, {
    name: change.picture,
    mimeType: 'image/png',
    buffer: PNG,
  });
  return { oldTitle };
}

interface DraftStep {
  title: string;
  body: string;
  images: { src: string; alt: string }[];
}

describeInBrowser('The manual editor in a real browser', () => {
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

  async function draftOf(slug: string): Promise<{ summary: string; steps: DraftStep[] }> {
    const draft = await t.http.get(`/api/manuals/${slug}/draft`).set(bearer(librarian)).expect(200);
    return draft.body.content;
  }

  async function librarianPage(javaScriptEnabled: boolean, width = 1280): Promise<Page> {
    const { page } = await newPage(browser, base, {
      javaScriptEnabled,
      viewport: { width, height: 900 },
    });
    await signInAs(page, 'librarian');
    return page;
  }

  /** The id of the element that has the keyboard focus once the page has settled on it. */
  async function focusedId(page: Page, expected: string): Promise<string> {
    await page
      .waitForFunction((id) => document.activeElement?.id === id, expected, { timeout: 3000 })
      .catch(() => undefined);
    return page.evaluate(() => document.activeElement?.id ?? '');
  }

  it.each([
    ['without JavaScript', false, 'camera-kit-basics'],
    ['with JavaScript', true, 'audio-recorder-basics'],
  ])('keeps the text typed in a step when a picture is uploaded, %s', async (_, js, slug) => {
    const page = await librarianPage(js);
    await page.goto(`/admin/manuals/${slug}/edit`);
    await page.getByLabel('Summary').fill('A summary typed before the upload.');
    await page.getByLabel('Step 2 text').fill('Words typed in step 2, then a picture.');
    await uploadPicture(page, 2, 'The mode dial', {
      name: 'dial.png',
      mimeType: 'image/png',
      buffer: PNG,
    });

    expect(new URL(page.url()).hash).toBe('#step-1');
    await expect(page.locator('#step-1 [role="status"]').textContent()).resolves.toMatch(
      /Picture added to step 2; the draft is saved with your text/,
    );
    await expect(page.getByLabel('Step 2 text').inputValue()).resolves.toBe(
      'Words typed in step 2, then a picture.',
    );
    await expect(page.getByLabel('Step 2 picture 1: what it shows').inputValue()).resolves.toBe(
      'The mode dial',
    );
    const draft = await draftOf(slug);
    expect(draft.summary).toBe('A summary typed before the upload.');
    expect(draft.steps[1].body).toBe('Words typed in step 2, then a picture.');
    expect(draft.steps[1].images.map((i) => i.alt)).toEqual(['The mode dial']);
    if (js) await expect(focusedId(page, 'step-1-heading')).resolves.toBe('step-1-heading');

    // A refused upload (no file chosen) keeps the typing and says so beside the step.
    await page.getByLabel('Step 2 text').fill('Typed again, the upload will be refused.');
    await uploadPicture(page, 2, 'Nothing chosen');
    await expect(page.locator('#step-1 [role="alert"]').textContent()).resolves.toMatch(
      /Choose an image file to upload to step 2/,
    );
    await expect(page.getByLabel('Step 2 text').inputValue()).resolves.toBe(
      'Typed again, the upload will be refused.',
    );
    await page.context().close();
  });

  it('keeps the typed text and names the picture when it is over 5 MB, without JavaScript', async () => {
    const page = await librarianPage(false);
    const slug = 'action-camera-basics';
    const huge = {
      name: 'huge.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(5 * 1024 * 1024 + 1),
    };
    await page.goto(`/admin/manuals/${slug}/edit`);
    await page.getByLabel('Summary').fill('A summary typed before a huge picture.');
    await page.getByLabel('Step 2 text').fill('Words typed in step 2 before a huge picture.');
    await uploadPicture(page, 2, 'The mounts', huge);
    await expect(page.locator('#step-1 [role="alert"]').textContent()).resolves.toMatch(
      /The new picture for step 2 is larger than 5 MB/,
    );
    await expect(page.getByLabel('Summary').inputValue()).resolves.toBe(
      'A summary typed before a huge picture.',
    );
    await expect(page.getByLabel('Step 2 text').inputValue()).resolves.toBe(
      'Words typed in step 2 before a huge picture.',
    );

    await page.goto(`/admin/manuals/${slug}/edit/steps/3`);
    await page.getByLabel('Step 3 text').fill('Words typed on the step page.');
    await uploadPicture(page, 3, 'The battery door', huge);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(
      /The new picture for step 3 is larger than 5 MB/,
    );
    await expect(page.getByLabel('Step 3 text').inputValue()).resolves.toBe(
      'Words typed on the step page.',
    );
    await page.context().close();
  });

  it('comes back to the step just added or moved, with the message beside it', async () => {
    const page = await librarianPage(true);
    const slug = 'button-maker-basics';
    await page.goto(`/admin/manuals/${slug}/edit`);
    const count = await page.locator('li.editor-step').count();
    await page.getByLabel('Step 2 title').fill('Moved down with its new title');
    await submit(page, () => page.getByRole('button', { name: 'Move step 2 down' }).click());
    expect(new URL(page.url()).hash).toBe('#step-2');
    await expect(focusedId(page, 'step-2-heading')).resolves.toBe('step-2-heading');
    await expect(page.locator('#step-2 [role="status"]').textContent()).resolves.toMatch(
      /Draft saved/,
    );
    await expect(page.getByLabel('Step 3 title').inputValue()).resolves.toBe(
      'Moved down with its new title',
    );
    // One status on the page: the one beside the step.
    await expect(page.getByRole('status').count()).resolves.toBe(1);
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(500);

    await submit(page, () => page.getByRole('button', { name: 'Add a step' }).click());
    expect(new URL(page.url()).hash).toBe(`#step-${count}`);
    await expect(focusedId(page, `step-${count}-heading`)).resolves.toBe(`step-${count}-heading`);
    await expect(page.locator(`#step-${count} [role="status"]`).textContent()).resolves.toMatch(
      new RegExp(`Step ${count + 1} added`),
    );
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.context().close();
  });

  it('edits one step per page without JavaScript', async () => {
    const page = await librarianPage(false);
    const slug = 'heat-press-basics';
    const before = await t.http.get(`/api/manuals/${slug}`).expect(200);
    await page.goto(`/admin/manuals/${slug}/edit`);
    await submit(page, () => page.getByRole('link', { name: 'Step 2 on its own page' }).click());
    expect(new URL(page.url()).pathname).toBe(`/admin/manuals/${slug}/edit/steps/2`);
    await expect(page.getByRole('link', { name: 'Previous step (1)' }).count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: 'Next step (3)' }).count()).resolves.toBe(1);
    const list = page.getByRole('navigation', { name: 'Steps' }).getByRole('listitem');
    await expect(list.count()).resolves.toBe(before.body.steps.length);
    await expect(page.getByLabel('Step 1 title').count()).resolves.toBe(0);

    await page.getByLabel('Step 2 title').fill('Set the temperature first');
    await page.getByLabel('Step 2 text').fill('Turn the dial to **320 °F**.');
    await submit(page, () => page.getByRole('button', { name: 'Save step 2' }).click());
    expect(new URL(page.url()).pathname).toBe(`/admin/manuals/${slug}/edit/steps/2`);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/step 2/);
    const draft = await draftOf(slug);
    expect(draft.steps[1].title).toBe('Set the temperature first');
    expect(draft.steps[1].body).toBe('Turn the dial to **320 °F**.');
    expect(draft.steps[0].title).toBe(before.body.steps[0].title);

    await submit(page, () => page.getByRole('link', { name: 'Next step (3)' }).click());
    expect(new URL(page.url()).pathname).toBe(`/admin/manuals/${slug}/edit/steps/3`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(
      /Step 3 of/,
    );
    await page.context().close();
  });

  it('saves one step in place with JavaScript, leaving the focus where it was', async () => {
    const page = await librarianPage(true);
    const slug = 'sewing-machine-basics';
    await page.goto(`/admin/manuals/${slug}/edit`);
    const address = page.url();
    await page.getByLabel('Step 3 text').fill('Thread the needle from front to back.');
    const save = page.getByRole('button', { name: 'Save step 3' });
    await save.focus();
    await page.keyboard.press('Enter');
    const status = page.locator('#step-2 [role="status"]');
    await status.filter({ hasText: 'step 3' }).waitFor({ timeout: 5000 });
    expect(page.url()).toBe(address);
    await expect(save.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    const draft = await draftOf(slug);
    expect(draft.steps[2].body).toBe('Thread the needle from front to back.');
    await page.context().close();
  });

  it('compares the draft with the published text in words, side by side', async () => {
    const page = await librarianPage(true);
    const slug = 'lab-orientation';
    const { oldTitle } = await rewriteFirstStep(page, slug, {
      title: 'Meet the lab',
      opening: 'Cheerfully',
      picture: 'door.png',
      shows: 'The lab door',
    });
    await submit(page, () =>
      page.getByRole('link', { name: 'Compare the draft with the published text' }).click(),
    );
    const step = page.getByRole('region', { name: 'Step 1', exact: true });
    await expect(step.locator('ins').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['Meet', 'Cheerfully', 'The', 'door']),
    );
    await expect(step.locator('del').allTextContents()).resolves.toEqual(
      expect.arrayContaining([oldTitle.split(' ')[0]]),
    );
    await expect(
      step.getByRole('heading', { name: /Published \(revision \d+\)/ }).count(),
    ).resolves.toBe(1);
    await expect(step.getByRole('heading', { name: 'Draft' }).count()).resolves.toBe(1);
    await expect(step.locator('img').count()).resolves.toBe(1);
    await expectReadableComparison(page, 'The lab door');
    await page.context().close();
  });

  it('compares two published revisions in words, side by side, at both widths', async () => {
    const page = await librarianPage(true);
    const slug = 'tripod-light-kit-basics';
    const { oldTitle } = await rewriteFirstStep(page, slug, {
      title: 'Unpack the camera',
      opening: 'Gently',
      picture: 'bag.png',
      shows: 'The camera bag',
    });
    await page.getByLabel('What changed (for the history)').fill('A gentler first step');
    await submit(page, () => page.getByRole('button', { name: 'Publish the draft' }).click());
    const published = await t.http.get(`/api/manuals/${slug}`).expect(200);
    const current = published.body.revision as number;
    const before = current - 1;
    await submit(page, () =>
      page.getByRole('link', { name: `Compare revision ${before} with the current one` }).click(),
    );
    const step = page.getByRole('region', { name: 'Step 1', exact: true });
    await expect(step.locator('ins').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['Unpack', 'Gently', 'The', 'bag']),
    );
    await expect(step.locator('del').allTextContents()).resolves.toEqual(
      expect.arrayContaining([oldTitle.split(' ')[0]]),
    );
    await expect(
      step.getByRole('heading', { name: `Revision ${before}`, exact: true }).count(),
    ).resolves.toBe(1);
    await expect(
      step.getByRole('heading', { name: `Revision ${current}`, exact: true }).count(),
    ).resolves.toBe(1);
    await expect(step.locator('img').count()).resolves.toBe(1);
    await expectReadableComparison(page, 'The camera bag');
    await page.context().close();
  });

  it('fits a phone and meets WCAG 2.1 AA on the editor and a step page', async () => {
    const page = await librarianPage(true, 390);
    for (const path of [
      '/admin/manuals/podcast-studio-basics/edit',
      '/admin/manuals/podcast-studio-basics/edit/steps/2',
    ]) {
      await page.goto(path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ path, width }).toEqual({ path, width: 390 });
      expect(await accessibilityProblems(page)).toEqual([]);
    }
    await page.context().close();
  });
});
