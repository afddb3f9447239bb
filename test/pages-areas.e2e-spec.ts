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

// Tuesday 1 December 2026, 10:00 in the library (America/New_York).
const NOW = '2026-12-01T15:00:00Z';
const THURSDAY = '2026-12-03';

describeInBrowser('Areas on the pages (/schedule, /admin/hours, /desk)', () => {
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
  ])('switches the day grid to the Teen Room with its picker, %s', async (_, javaScriptEnabled) => {
    const { context, page } = await newPage(browser, base, { javaScriptEnabled });
    await page.goto(`/schedule?date=${THURSDAY}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Schedule: Digital Media Lab',
    );
    await expect(page.getByRole('rowheader', { name: 'Podcast studio' }).count()).resolves.toBe(1);
    await expect(page.getByRole('rowheader', { name: 'Gaming station' }).count()).resolves.toBe(0);

    await page.getByLabel('Area', { exact: true }).selectOption({ label: 'Teen Room' });
    await submit(page, () => page.getByRole('button', { name: 'Show' }).click());
    expect(new URL(page.url()).searchParams.get('area')).toBe('teen-room');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Schedule: Teen Room',
    );
    await expect(page.getByRole('rowheader', { name: 'Gaming station' }).count()).resolves.toBe(1);
    await expect(page.getByRole('rowheader', { name: 'Podcast studio' }).count()).resolves.toBe(0);
    // The Teen Room opens at 2 PM: the grid's first column is its opening, not the lab's.
    const firstColumn = page.getByRole('columnheader').nth(1);
    await expect(firstColumn.textContent()).resolves.toBe('2:00 PM');
    // The next day keeps the area.
    await submit(page, () => page.getByRole('link', { name: /Next day/ }).click());
    expect(new URL(page.url()).searchParams.get('area')).toBe('teen-room');
    if (javaScriptEnabled) expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])(
    'lets a librarian edit the Teen Room’s week and close only it, %s',
    async (_, javaScriptEnabled) => {
      const { context, page } = await newPage(browser, base, { javaScriptEnabled });
      await signInAs(page, 'librarian');
      await page.goto('/admin/hours');
      await page.getByLabel('Area', { exact: true }).selectOption({ label: 'Teen Room' });
      await submit(page, () => page.getByRole('button', { name: 'Show its hours' }).click());
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Opening hours: Teen Room',
      );
      await expect(page.getByLabel('Monday: opens at', { exact: true }).inputValue()).resolves.toBe(
        '14:00',
      );
      if (javaScriptEnabled) expect(await accessibilityProblems(page)).toEqual([]);

      const saturday = javaScriptEnabled ? '16:00' : '15:00';
      await page.getByLabel('Saturday: closes at', { exact: true }).fill(saturday);
      await submit(page, () => page.getByRole('button', { name: 'Save the week' }).click());
      await expect(page.getByRole('status').textContent()).resolves.toMatch(
        /Teen Room’s weekly hours are saved/,
      );
      const teen = await t.http
        .get('/api/hours')
        .query({ from: '2026-12-05', to: '2026-12-05', area: 'teen-room' })
        .expect(200);
      expect(teen.body[0].hours).toEqual([{ opens: '11:00', closes: saturday }]);
      const lab = await t.http
        .get('/api/hours')
        .query({ from: '2026-12-05', to: '2026-12-05' })
        .expect(200);
      expect(lab.body[0].hours).toEqual([{ opens: '10:00', closes: '17:00' }]);

      const date = javaScriptEnabled ? '2026-12-14' : '2026-12-15';
      await page.getByLabel('What closes').selectOption({ label: 'Only the Teen Room' });
      await page.getByLabel('Date').fill(date);
      await page.getByLabel('Why (patrons see this)').fill('Teen Room carpet cleaning');
      await submit(page, () => page.getByRole('button', { name: 'Close that day' }).click());
      await expect(page.getByRole('status').textContent()).resolves.toMatch(
        /The Teen Room is closed on/,
      );
      const closedTeen = await t.http
        .get('/api/hours')
        .query({ from: date, to: date, area: 'teen-room' })
        .expect(200);
      expect(closedTeen.body[0]).toMatchObject({
        isOpen: false,
        closure: 'Teen Room carpet cleaning',
      });
      const openLab = await t.http.get('/api/hours').query({ from: date, to: date }).expect(200);
      expect(openLab.body[0].isOpen).toBe(true);
      await expect(
        page
          .getByRole('listitem')
          .filter({ hasText: `December ${date.slice(8)}, 2026 (Teen Room only): Teen Room carpet` })
          .count(),
      ).resolves.toBe(1);
      await context.close();
    },
  );

  it('narrows the desk agenda to the Teen Room', async () => {
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'staff');
    await page.goto('/desk?area=teen-room');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Desk: Teen Room',
    );
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain('Gaming station');
    expect(body).not.toContain('Podcast studio');
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });
});
