import type { Browser, Page } from 'playwright-core';
import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
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
import { bearer, local, mailTo, newDevice, newPatron, signIn, TestPatron } from './factories';

// Tuesday 1 December 2026, 10:00 in the library (America/New_York); open 10:00–20:00.
const NOW = '2026-12-01T15:00:00Z';
const TODAY = '2026-12-01';
const TOMORROW = '2026-12-02';

describeInBrowser('The desk running the day in a real browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let staffToken: string;

  beforeAll(async () => {
    // One no-show pauses booking here, so a look-up can show a pause without a week of misses.
    t = await createTestApp({ now: NOW, env: { NO_SHOW_LIMIT: '1' } });
    base = await serve(t);
    browser = await launchBrowser();
    staffToken = await signIn(t, 'staff');
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function book(patron: TestPatron, device: string, day: string, from: string, to: string) {
    const response = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: local(`${day}T${from}`), end: local(`${day}T${to}`) })
      .expect(201);
    return response.body as { id: string; code: string };
  }

  async function booking(id: string) {
    const response = await t.http.get(`/api/bookings/${id}`).set(bearer(staffToken)).expect(200);
    return response.body as { status: string; equipment: string; start: string; end: string };
  }

  async function atDesk(
    options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {},
  ): Promise<{ page: Page; close: () => Promise<void> }> {
    const { context, page } = await newPage(browser, base, options);
    await signInAs(page, 'staff');
    return { page, close: () => context.close() };
  }

  const status = async (page: Page) => (await page.getByRole('status').textContent()) ?? '';
  const agendaHeading = (page: Page) =>
    page.getByRole('heading', { level: 2, name: /agenda/i }).textContent();

  for (const javaScriptEnabled of [false, true]) {
    it(`switches days by link and by date with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
      const device = await newDevice(t);
      const patron = await newPatron(t, { name: 'Margaret Hamilton' });
      const { code } = await book(patron, device, TOMORROW, '14:00', '15:00');
      const { page, close } = await atDesk({ javaScriptEnabled });
      const row = page.getByRole('row').filter({ hasText: code });
      await page.goto('/desk');
      await expect(agendaHeading(page)).resolves.toBe('Today’s agenda');
      await expect(row.count()).resolves.toBe(0);

      await submit(page, () => page.getByRole('link', { name: /^Next day/ }).click());
      expect(new URL(page.url()).search).toBe(`?date=${TOMORROW}`);
      await expect(agendaHeading(page)).resolves.toBe('Agenda for Wednesday, December 2, 2026');
      await expect(row.textContent()).resolves.toMatch(/2:00 – 3:00 PMMargaret Hamilton/);

      await submit(page, () => page.getByRole('link', { name: 'Today', exact: true }).click());
      await expect(agendaHeading(page)).resolves.toBe('Today’s agenda');
      await submit(page, () => page.getByRole('link', { name: /Previous day/ }).click());
      expect(new URL(page.url()).search).toBe('?date=2026-11-30');

      await page.getByLabel('Day', { exact: true }).fill(TOMORROW);
      await submit(page, () => page.getByRole('button', { name: 'Show the day' }).click());
      expect(new URL(page.url()).search).toBe(`?date=${TOMORROW}`);
      await expect(row.count()).resolves.toBe(1);

      const refused = await page.goto('/desk?date=2026-02-30');
      expect(refused?.status()).toBe(400);
      await expect(page.getByRole('alert').textContent()).resolves.toBe(
        'Not done: The day to show must be a date, such as 2026-12-01. Showing today.',
      );
      await expect(agendaHeading(page)).resolves.toBe('Today’s agenda');
      await close();
    });
  }

  it('cancels a patron’s booking from its row after asking once, without JavaScript', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t, { name: 'Frances Allen' });
    const { id, code } = await book(patron, device, TOMORROW, '11:00', '12:00');
    const { page, close } = await atDesk({ javaScriptEnabled: false });
    await page.goto(`/desk?date=${TOMORROW}`);
    const row = page.getByRole('row').filter({ hasText: code });
    const confirm = row.getByRole('button', { name: `Yes, cancel ${code}` });
    await expect(confirm.isVisible()).resolves.toBe(false);
    await row.locator('summary').click();
    await expect(row.textContent()).resolves.toContain('Frances Allen is e-mailed');
    await submit(page, () => confirm.click());

    expect(new URL(page.url()).search).toBe(`?date=${TOMORROW}`);
    await expect(status(page)).resolves.toMatch(
      new RegExp(
        `^Done: Canceled: Frances Allen, Test station \\d+ Wed, Dec 2, 11:00 AM – 12:00 PM \\(code ${code}\\)\\. Frances Allen is e-mailed`,
      ),
    );
    expect((await booking(id)).status).toBe('cancelled');
    await expect(row.count()).resolves.toBe(0);
    const mail = await mailTo(t, patron);
    expect(mail.map((m) => m.subject)).toContainEqual(
      expect.stringMatching(/^Your booking is canceled: Test station \d+/),
    );
    await close();
  });

  it('moves a booking to another device of the same kind, keeping what was typed after a refusal', async () => {
    const first = await newDevice(t);
    const second = await newDevice(t);
    const patron = await newPatron(t, { name: 'Barbara Liskov' });
    const other = await newPatron(t);
    const { id, code } = await book(patron, first, TODAY, '12:00', '13:00');
    await book(other, second, TODAY, '14:00', '15:00');
    const { page, close } = await atDesk();
    await page.goto('/desk');
    const row = page.getByRole('row').filter({ hasText: code });
    await submit(page, () => row.getByRole('link', { name: `Move ${code}` }).click());
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Move Barbara Liskov’s booking',
    );
    await expect(page.getByLabel('New start').inputValue()).resolves.toBe(`${TODAY}T12:00`);
    await expect(page.getByLabel('How long').inputValue()).resolves.toBe('60');
    await expect(page.getByLabel('Device').inputValue()).resolves.toBe(first);

    await page.getByLabel('New start').fill(`${TODAY}T14:30`);
    await page.getByLabel('Device').selectOption(second);
    await submit(page, () => page.getByRole('button', { name: 'Move the booking' }).click());
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(
      /^Not done: .*booked.*2:00/,
    );
    await expect(page.getByLabel('New start').inputValue()).resolves.toBe(`${TODAY}T14:30`);
    await expect(page.getByLabel('Device').inputValue()).resolves.toBe(second);
    expect(await booking(id)).toMatchObject({ equipment: first, start: local(`${TODAY}T12:00`) });

    await page.getByLabel('New start').fill(`${TODAY}T16:00`);
    await page.getByLabel('How long').selectOption('90');
    await submit(page, () => page.getByRole('button', { name: 'Move the booking' }).click());
    await expect(status(page)).resolves.toMatch(
      new RegExp(
        `^Done: Moved: Barbara Liskov, Test station \\d+ Tue, Dec 1, 4:00 – 5:30 PM \\(code ${code}\\)\\. Barbara Liskov is e-mailed the new time\\.`,
      ),
    );
    expect(await booking(id)).toMatchObject({
      status: 'confirmed',
      equipment: second,
      start: local(`${TODAY}T16:00`),
      end: local(`${TODAY}T17:30`),
    });
    const moved = page
      .getByRole('region', { name: /^Test station/ })
      .filter({ has: page.getByRole('row').filter({ hasText: code }) });
    await expect(moved.getByRole('heading').textContent()).resolves.toBe(
      (await t.http.get(`/api/equipment/${second}`).expect(200)).body.name,
    );
    const mail = await mailTo(t, patron);
    expect(mail.map((m) => m.subject)).toContainEqual(
      expect.stringMatching(/^Your booking has changed: Test station \d+, now Tue, Dec 1, 4:00/),
    );
    await close();
  });

  it('moves a booking through the API only to a device of the same kind', async () => {
    const station = await newDevice(t);
    const studio = await newDevice(t, { category: 'audio' });
    const patron = await newPatron(t);
    const { id } = await book(patron, station, TOMORROW, '11:00', '12:00');
    const refused = await t.http
      .patch(`/api/bookings/${id}`)
      .set(bearer(staffToken))
      .send({
        start: local(`${TOMORROW}T11:00`),
        end: local(`${TOMORROW}T12:00`),
        equipment: studio,
      })
      .expect(422);
    expect(refused.body.code).toBe('OTHER_KIND_OF_DEVICE');
    expect(refused.body.message).toMatch(/is not the same kind of device as Test station \d+/);
    expect((await booking(id)).equipment).toBe(station);
  });

  it('moves two bookings onto the same free time of another device at once: one wins', async () => {
    const [first, second, target] = [await newDevice(t), await newDevice(t), await newDevice(t)];
    const ids = [
      (await book(await newPatron(t), first, TOMORROW, '11:00', '12:00')).id,
      (await book(await newPatron(t), second, TOMORROW, '11:00', '12:00')).id,
    ];
    const moves = await Promise.all(
      ids.map((id) =>
        t.http
          .patch(`/api/bookings/${id}`)
          .set(bearer(staffToken))
          .send({
            start: local(`${TOMORROW}T13:00`),
            end: local(`${TOMORROW}T14:00`),
            equipment: target,
          }),
      ),
    );
    expect(moves.map((m) => m.status).sort()).toEqual([200, 409]);
    expect(moves.find((m) => m.status === 409)!.body.code).toBe('SLOT_TAKEN');
    const onTarget = await t.http
      .get(`/api/bookings?equipment=${target}`)
      .set(bearer(staffToken))
      .expect(200);
    expect(onTarget.body).toHaveLength(1);
  });

  it('refreshes the agenda without taking the scan field’s focus or what is typed in it', async () => {
    const { page, close } = await atDesk();
    await page.clock.install();
    await page.goto('/desk');
    await expect(
      page.getByRole('link', { name: 'Refresh', exact: true }).getAttribute('href'),
    ).resolves.toBe(`/desk?date=${TODAY}`);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('scan');
    await page.keyboard.type('21234');

    const device = await newDevice(t);
    const patron = await newPatron(t, { name: 'Radia Perlman' });
    const { code } = await book(patron, device, TODAY, '17:00', '18:00');
    const row = page.getByRole('row').filter({ hasText: code });
    await expect(row.count()).resolves.toBe(0);
    await page.clock.runFor(31_000);
    await row.waitFor();

    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('scan');
    await expect(page.getByLabel('Scan a card or type a booking code').inputValue()).resolves.toBe(
      '21234',
    );
    await expect(page.locator('[aria-live="polite"]').textContent()).resolves.toMatch(
      /^The agenda changed\. As of /,
    );
    // Nothing changed since: the next refresh keeps quiet rather than repeating itself.
    await page.evaluate(() => {
      document.querySelector('[data-agenda-news]')!.textContent = '';
    });
    const refreshed = page.waitForResponse((r) => new URL(r.url()).pathname === '/desk');
    await page.clock.runFor(31_000);
    await refreshed;
    await page.waitForTimeout(200);
    await expect(page.locator('[data-agenda-news]').textContent()).resolves.toBe('');
    await close();
  });

  it('links each booking to its device’s walkthrough and the printable copy', async () => {
    const patron = await newPatron(t, { name: 'Hedy Lamarr' });
    await t.http
      .post(`/api/patrons/${patron.cardNumber}/certifications`)
      .set(bearer(staffToken))
      .send({ equipment: 'podcast-studio' })
      .expect(201);
    const { code } = await book(patron, 'podcast-studio', TOMORROW, '13:00', '14:00');
    const { page, close } = await atDesk({ javaScriptEnabled: false });
    await page.goto(`/desk?date=${TOMORROW}`);
    const row = page.getByRole('row').filter({ hasText: code });
    const walkthrough = row.getByRole('link', { name: /^Walkthrough \(Record a podcast/ });
    await expect(walkthrough.getAttribute('href')).resolves.toBe('/manuals/podcast-studio-basics');
    await submit(page, () => row.getByRole('link', { name: /^print Record a podcast/ }).click());
    expect(new URL(page.url()).pathname).toBe('/manuals/podcast-studio-basics/print');
    await close();
  });

  it('looks a patron up with their bookings ahead, no-shows and pause', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t, { name: 'Lynn Conway' });
    const ahead = await book(patron, device, TOMORROW, '15:00', '16:00');
    const missed = await book(patron, device, TODAY, '10:00', '11:00');
    const { page, close } = await atDesk();
    const card = page.getByRole('listitem').filter({ hasText: patron.cardNumber });
    await page.goto(`/desk/patrons?q=${patron.cardNumber}`);
    await expect(card.textContent()).resolves.toMatch(/No-showsNone/);
    const upcoming = page.getByRole('table', { name: 'Bookings coming up for Lynn Conway' });
    await expect(upcoming.getByRole('row').allTextContents()).resolves.toEqual([
      'WhenDeviceCodeStatus',
      expect.stringMatching(
        new RegExp(`^Tue, Dec 1, 10:00 – 11:00 AMTest station \\d+${missed.code}Due now`),
      ),
      expect.stringMatching(
        new RegExp(`^Wed, Dec 2, 3:00 – 4:00 PMTest station \\d+${ahead.code}Booked, not started`),
      ),
    ]);

    t.clock.set(new Date('2026-12-01T16:30:00Z'));
    try {
      await t.app.get(BookingSweeps).markNoShows(t.clock.now());
      await page.reload();
      await expect(card.textContent()).resolves.toMatch(
        /No-shows1 no-show in the last 60 days \(1 in all\); booking pauses at 1/,
      );
      await expect(card.textContent()).resolves.toMatch(/BookingPaused until \w{3}, \w{3} \d+/);
      await expect(upcoming.getByRole('row').count()).resolves.toBe(2);
      await submit(page, () =>
        upcoming.getByRole('link', { name: /^Wed, Dec 2, 3:00 – 4:00 PM/ }).click(),
      );
      expect(new URL(page.url()).search).toBe(`?date=${TOMORROW}`);
      await expect(page.getByRole('row').filter({ hasText: ahead.code }).count()).resolves.toBe(1);
    } finally {
      t.clock.set(new Date(NOW));
    }
    await close();
  });

  it('fits a phone with a day of bookings and meets WCAG 2.1 AA with JavaScript on', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t, {
      name: 'Maria Guadalupe Evangelina Hernández-Villanueva de la Cruz',
    });
    const { code } = await book(patron, device, TODAY, '15:00', '16:30');
    await book(patron, device, TODAY, '17:00', '18:00');
    const { page, close } = await atDesk({ viewport: { width: 390, height: 844 } });
    const fits = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    const found: string[] = [];
    const check = async (where: string) =>
      found.push(...(await accessibilityProblems(page)).map((p) => `${where}: ${p}`));

    await page.goto('/desk');
    const row = page.getByRole('row').filter({ hasText: code });
    await expect(row.count()).resolves.toBe(1);
    await expect(fits()).resolves.toBe(true);
    await expect(row.getByRole('link', { name: `Move ${code}` }).isVisible()).resolves.toBe(true);
    await check('/desk at 390 px');
    await row.locator('summary').click();
    await expect(fits()).resolves.toBe(true);
    await check('/desk with a cancel question open');

    await submit(page, () => row.getByRole('link', { name: `Move ${code}` }).click());
    await expect(fits()).resolves.toBe(true);
    await check('the move form');
    await page.goto(`/desk/patrons?q=${patron.cardNumber}`);
    await expect(fits()).resolves.toBe(true);
    await check('a patron with bookings');
    await page.goto(`/desk?date=${TOMORROW}`);
    await check('another day');
    expect(found).toEqual([]);
    await close();
  });
});
