import { readFileSync } from 'node:fs';
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
import { bearer, local, mailTo, newDevice, newPatron, signIn, TestPatron } from './factories';
import { XSS_PAYLOADS } from './xss-payloads';

// Tuesday 1 December 2026, 10:00 in the library (America/New_York); open 10:00–20:00.
const NOW = '2026-12-01T15:00:00Z';
const TODAY = '2026-12-01';

describeInBrowser('Desk and reports pages in a real browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let staffToken: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    base = await serve(t);
    browser = await launchBrowser();
    staffToken = await signIn(t, 'staff');
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A patron's own booking today, made through the API; returns its code. */
  async function book(patron: TestPatron, device: string, from: string, to: string) {
    const response = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: local(`${TODAY}T${from}`), end: local(`${TODAY}T${to}`) })
      .expect(201);
    return response.body as { id: string; code: string };
  }

  async function bookingsOn(device: string): Promise<{ code: string; status: string }[]> {
    const response = await t.http
      .get(`/api/bookings?equipment=${device}`)
      .set(bearer(staffToken))
      .expect(200);
    return response.body;
  }

  async function atDesk(): Promise<{ page: Page; close: () => Promise<void> }> {
    const { context, page } = await newPage(browser, base);
    await signInAs(page, 'staff');
    await page.goto('/desk');
    return { page, close: () => context.close() };
  }

  /** Does something that posts a form and waits for the page it redirects to (maybe the same URL). */
  const status = async (page: Page) => (await page.getByRole('status').textContent()) ?? '';

  it('checks a patron in by the booking code typed into the one field, then finishes the session', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t, { name: 'Grace Hopper' });
    const { code } = await book(patron, device, '10:00', '11:00');
    const { page, close } = await atDesk();

    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('scan');
    const row = page.getByRole('row').filter({ hasText: code });
    await expect(row.textContent()).resolves.toMatch(/10:00 – 11:00 AMGrace Hopper.*Due now/);
    await page.keyboard.type(code.toLowerCase());
    await submit(page, () => page.keyboard.press('Enter'));
    await expect(status(page)).resolves.toMatch(
      new RegExp(`^Done: Checked in: Grace Hopper, .+ 10:00 – 11:00 AM \\(code ${code}\\)`),
    );
    expect((await bookingsOn(device))[0].status).toBe('checked_in');
    await expect(row.textContent()).resolves.toMatch(/Checked in, in use/);

    await submit(page, () => page.getByRole('button', { name: `Finish ${code}` }).click());
    await expect(status(page)).resolves.toMatch(/^Done: Finished: Grace Hopper/);
    expect((await bookingsOn(device))[0].status).toBe('completed');
    await close();
  });

  it('checks in by a scanned card, and says plainly when nothing is due', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t, { name: 'Katherine Johnson' });
    await book(patron, device, '10:00', '10:30');
    const { page, close } = await atDesk();

    await page.getByLabel('Scan a card or type a booking code').fill(patron.cardNumber);
    await submit(page, () => page.getByRole('button', { name: 'Check in', exact: true }).click());
    await expect(status(page)).resolves.toMatch(/Checked in: Katherine Johnson/);
    expect((await bookingsOn(device))[0].status).toBe('checked_in');

    await page.getByLabel('Scan a card or type a booking code').fill(patron.cardNumber);
    await submit(page, () => page.getByRole('button', { name: 'Check in', exact: true }).click());
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Not done: Katherine Johnson has no booking due now.',
    );
    await page.getByLabel('Scan a card or type a booking code').fill('NOPE99');
    await submit(page, () => page.getByRole('button', { name: 'Check in', exact: true }).click());
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/No booking has the code/);
    // The next scan goes straight into the field: a refusal does not take the cursor away.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('scan');
    await close();
  });

  it('checks in and finishes with JavaScript turned off', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t, { name: 'Annie Easley' });
    const { code } = await book(patron, device, '10:00', '11:00');
    const { context, page } = await newPage(browser, base, { javaScriptEnabled: false });
    await signInAs(page, 'staff');
    await page.goto('/desk');
    await page.getByLabel('Scan a card or type a booking code').fill(code);
    await submit(page, () => page.keyboard.press('Enter'));
    await expect(status(page)).resolves.toMatch(/Checked in: Annie Easley/);
    await submit(page, () => page.getByRole('button', { name: `Finish ${code}` }).click());
    await expect(status(page)).resolves.toMatch(/Finished: Annie Easley/);
    expect((await bookingsOn(device))[0].status).toBe('completed');
    await context.close();
  });

  it('books a walk-in for a patron’s card from the slot under way', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t, { name: 'Mary Jackson' });
    t.clock.set(new Date('2026-12-01T15:07:00Z'));
    try {
      const { page, close } = await atDesk();
      await expect(page.getByLabel('Start').inputValue()).resolves.toBe('2026-12-01T10:00');
      await page.getByLabel('Patron’s card number').first().fill(patron.cardNumber);
      await page.getByLabel('Station', { exact: true }).selectOption(device);
      await page.getByLabel('Start').fill('2026-12-01T10:07');
      await page.getByLabel('How long').selectOption({ label: '1 h 30 min' });
      await submit(page, () => page.getByRole('button', { name: 'Book for the patron' }).click());
      const done = await status(page);
      expect(done).toMatch(
        /^Done: Booked Test station \d+ for Mary Jackson, Tue, Dec 1, 10:00 – 11:30 AM\. Code /,
      );
      const code = /Code ([A-Z0-9]+)/.exec(done)![1];
      const response = await t.http.get('/api/bookings').set(bearer(patron.token)).expect(200);
      expect(response.body).toEqual([
        // The patron is standing at the desk: a walk-in for a slot under way is checked in.
        expect.objectContaining({
          code,
          status: 'checked_in',
          start: '2026-12-01T10:00:00-05:00',
          end: '2026-12-01T11:30:00-05:00',
        }),
      ]);
      await expect(page.getByRole('row').filter({ hasText: code }).textContent()).resolves.toMatch(
        /Mary Jackson/,
      );
      await close();
    } finally {
      t.clock.set(new Date(NOW));
    }
  });

  it('refuses a walk-in the API would refuse, in the desk’s words', async () => {
    const device = await newDevice(t, { policy: { maxMinutes: 60 } });
    const patron = await newPatron(t);
    const { page, close } = await atDesk();
    await page.getByLabel('Patron’s card number').first().fill(patron.cardNumber);
    await page.getByLabel('Station', { exact: true }).selectOption(device);
    await page.getByLabel('How long').selectOption({ label: '2 h' });
    await submit(page, () => page.getByRole('button', { name: 'Book for the patron' }).click());
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Not done: The longest booking is 1 hour.',
    );
    expect(await bookingsOn(device)).toEqual([]);
    await close();
  });

  it('marks a device out of service and names the bookings it collides with', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t, { name: 'Dorothy Vaughan' });
    const { code } = await book(patron, device, '12:00', '13:00');
    const { page, close } = await atDesk();
    await page.getByLabel('Device', { exact: true }).selectOption(device);
    await page.getByLabel('From').fill('2026-12-01T11:30');
    await page.getByLabel('Until').fill('2026-12-01T14:00');
    await page.getByLabel('What is wrong').fill('The fan is broken');
    await submit(page, () => page.getByRole('button', { name: 'Mark out of service' }).click());
    await expect(status(page)).resolves.toMatch(
      new RegExp(
        `out of service Tue, Dec 1, 11:30 AM – 2:00 PM\\. It collides with 1 booking: Dorothy Vaughan, Test station \\d+ Tue, Dec 1, 12:00 – 1:00 PM \\(code ${code}\\)\\. Each patron has been e-mailed`,
      ),
    );
    const outages = await t.http
      .get(`/api/equipment/${device}/outages`)
      .set(bearer(staffToken))
      .expect(200);
    expect(outages.body).toEqual([
      expect.objectContaining({
        start: '2026-12-01T11:30:00-05:00',
        end: '2026-12-01T14:00:00-05:00',
        reason: 'The fan is broken',
      }),
    ]);
    const agenda = page.getByRole('region', { name: /^Test station/ }).filter({ hasText: code });
    await expect(agenda.textContent()).resolves.toMatch(
      /Out of service Tue, Dec 1, 11:30 AM – 2:00 PM: The fan is broken/,
    );
    await expect(page.getByRole('row').filter({ hasText: code }).textContent()).resolves.toMatch(
      /Moved off: the lab took the time/,
    );
    await close();
  });

  it('looks a patron up and grants a certification after an orientation', async () => {
    const device = await newDevice(t, { requiresOrientation: true });
    const patron = await newPatron(t, { name: 'Ada Lovelace' });
    const { page, close } = await atDesk();
    await page.getByLabel('Card number or name').fill(patron.cardNumber);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.waitForURL(`**/desk/patrons?q=${patron.cardNumber}`);
    const card = page.getByRole('listitem').filter({ hasText: patron.cardNumber });
    await expect(card.getByRole('heading').textContent()).resolves.toBe('Ada Lovelace');
    await expect(card.textContent()).resolves.toMatch(/No certifications yet/);
    await card.getByLabel('Oriented on').selectOption(device);
    await submit(page, () =>
      card.getByRole('button', { name: 'Grant certification to Ada Lovelace' }).click(),
    );
    await expect(status(page)).resolves.toMatch(
      /^Done: Ada Lovelace is certified for Test station \d+/,
    );
    await expect(
      page.getByRole('table', { name: 'Certifications of Ada Lovelace' }).textContent(),
    ).resolves.toMatch(/Test station \d+.*Sam Desk/);
    const held = await t.http
      .get(`/api/patrons/${patron.cardNumber}/certifications`)
      .set(bearer(staffToken))
      .expect(200);
    expect(held.body).toEqual([expect.objectContaining({ equipment: device, current: true })]);

    await card.getByLabel('Patron group').fill('Teen');
    await submit(page, () =>
      card.getByRole('button', { name: 'Set the group of Ada Lovelace' }).click(),
    );
    await expect(status(page)).resolves.toBe('Done: Ada Lovelace is now in the group teen.');
    const found = await t.http
      .get(`/api/patrons/${patron.cardNumber}`)
      .set(bearer(staffToken))
      .expect(200);
    expect(found.body.group).toBe('teen');
    expect(await accessibilityProblems(page)).toEqual([]);
    await close();
  });

  it('e-mails a walkthrough to a patron and opens the printable copy', async () => {
    const patron = await newPatron(t, { name: 'Hedy Lamarr' });
    const { page, close } = await atDesk();
    await page.getByLabel('Walkthrough to e-mail').selectOption('podcast-studio-basics');
    await page.getByLabel('Patron’s card number').nth(1).fill(patron.cardNumber);
    await submit(page, () => page.getByRole('button', { name: 'E-mail to patron' }).click());
    await expect(status(page)).resolves.toMatch(
      new RegExp(`^Done: E-mailed “.+” to Hedy Lamarr at p${patron.cardNumber}@example.org\\.`),
    );
    const sent = await mailTo(t, patron);
    expect(sent).toHaveLength(1);
    expect(sent[0].subject).toMatch(/^Your walkthrough: /);
    expect(sent[0].text).toMatch(/Hello Hedy Lamarr/);
    expect(sent[0].text).toContain('/manuals/podcast-studio-basics');

    await page.getByLabel('Walkthrough to print').selectOption('podcast-studio-basics');
    await page.getByRole('button', { name: 'Open the printable copy' }).click();
    await page.waitForURL('**/manuals/podcast-studio-basics/print');
    await close();
  });

  it('shows hostile names and reasons as text, never running them', async () => {
    const device = await newDevice(t);
    const name = XSS_PAYLOADS[2];
    const patron = await newPatron(t, { name });
    const { code } = await book(patron, device, '10:00', '11:00');
    const { page, close } = await atDesk();
    const ran: string[] = [];
    page.on('dialog', (dialog) => {
      ran.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByLabel('Device', { exact: true }).selectOption(device);
    await page.getByLabel('What is wrong').fill(XSS_PAYLOADS[0]);
    await submit(page, () => page.getByRole('button', { name: 'Mark out of service' }).click());
    await expect(page.getByRole('row').filter({ hasText: code }).textContent()).resolves.toContain(
      name,
    );
    await expect(page.getByText(`: ${XSS_PAYLOADS[0]}`).count()).resolves.toBe(1);
    await page.goto(`/desk/patrons?q=${encodeURIComponent(patron.cardNumber)}`);
    await expect(page.getByRole('heading', { name }).count()).resolves.toBe(1);
    expect(await page.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBe(
      0,
    );
    expect(ran).toEqual([]);
    await close();
  });

  it('is for staff only', async () => {
    const patron = await newPatron(t);
    for (const path of ['/desk', '/desk/patrons?q=1', '/reports'])
      await t.http.get(path).set('Cookie', `dml_session=${patron.token}`).expect(403);
  });

  it('shows the same usage figures as the JSON API, and downloads them as CSV', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t);
    await book(patron, device, '10:00', '11:30');
    const cancelled = await book(patron, device, '13:00', '14:00');
    await t.http.post(`/api/bookings/${cancelled.id}/cancel`).set(bearer(staffToken)).expect(200);

    const { page, close } = await atDesk();
    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.waitForURL('**/reports');
    await expect(page.getByLabel('From').inputValue()).resolves.toBe('2026-11-02');
    await expect(page.getByLabel('To (included)').inputValue()).resolves.toBe(TODAY);
    await page.getByLabel('From').fill(TODAY);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(`**/reports?from=${TODAY}&to=${TODAY}`);

    const api = await t.http
      .get(`/api/reports/usage?from=${TODAY}&to=${TODAY}`)
      .set(bearer(staffToken))
      .expect(200);
    const figures = api.body.devices.find((d: { equipment: string }) => d.equipment === device);
    expect(figures).toMatchObject({ bookings: 1, hoursBooked: 1.5, cancellations: 1 });
    const table = page.getByRole('table', { name: /^Usage per device/ });
    const cells = await table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: figures.name, exact: true }) })
      .getByRole('cell')
      .allTextContents();
    expect(cells).toEqual([
      figures.category,
      String(figures.bookings),
      String(figures.hoursBooked),
      String(figures.hoursOpen),
      `${figures.utilisation}%`,
      String(figures.noShows),
      String(figures.cancellations),
      String(figures.uniquePatrons),
    ]);
    const chart = page.getByRole('img', { name: /^Utilization per device/ });
    await expect(chart.getAttribute('aria-label')).resolves.toContain(
      `${figures.name} ${figures.utilisation}%`,
    );
    await expect(chart.locator('text').allTextContents()).resolves.toContain(
      `${figures.utilisation}%`,
    );
    const category = api.body.categories.find(
      (c: { category: string }) => c.category === 'editing',
    );
    const categoryCells = await page
      .getByRole('table', { name: /^Usage per category/ })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'editing', exact: true }) })
      .getByRole('cell')
      .allTextContents();
    expect(categoryCells.slice(0, 3)).toEqual([
      String(category.devices),
      String(category.bookings),
      String(category.hoursBooked),
    ]);

    await page.goto('/reports?from=2026-12-05&to=2026-12-01');
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Not done: The first day is after the last. Showing the last 30 days instead.',
    );
    await page.goto(`/reports?from=${TODAY}&to=${TODAY}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /^Download CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`dml-usage-${TODAY}-to-${TODAY}.csv`);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain(`device,${device},${figures.name},editing,1,1.5,`);
    await close();
  });

  it('lends a kit to a walk-in without a reservation, booking it to the return day as it goes out', async () => {
    const assetTag = `WI-${process.pid}`;
    const kit = await newDevice(t, {
      category: 'photo-video-loan',
      kind: 'loan',
      assetTag,
      parts: ['Recorder', 'Windscreen'],
      policy: { slotMinutes: 1440, minMinutes: 1440, maxMinutes: 10080, maxMinutesPerWeek: 30240 },
    });
    const patron = await newPatron(t, { name: 'Hedy Lamarr' });
    const { page, close } = await atDesk();
    await submit(page, () => page.goto('/desk/loans'));
    await page.getByLabel('Kit’s asset tag').fill(assetTag);
    await page.getByLabel('Patron’s card number').fill(patron.cardNumber);
    await submit(page, () =>
      page.getByRole('button', { name: 'Show the parts checklist' }).click(),
    );
    await submit(page, () => page.getByRole('button', { name: 'Hand the kit over' }).click());
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/reservation/i);

    await page.getByLabel('Kit’s asset tag').fill(assetTag);
    await page.getByLabel('Patron’s card number').fill(patron.cardNumber);
    await submit(page, () =>
      page.getByRole('button', { name: 'Show the parts checklist' }).click(),
    );
    await page.getByLabel('Return day, for a walk-in without a reservation').fill('2026-12-03');
    await submit(page, () => page.getByRole('button', { name: 'Hand the kit over' }).click());
    await expect(status(page)).resolves.toMatch(
      /is out with Hedy Lamarr, due back by closing on Thu, Dec 3\./,
    );
    const [loan] = await bookingsOn(kit);
    expect(loan.status).toBe('checked_in');
    await close();
  });

  it('meets WCAG 2.1 AA on the desk with bookings on it, its sub-pages and the reports', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t, { name: 'Radia Perlman' });
    const { code } = await book(patron, device, '10:00', '11:00');
    await book(patron, device, '15:00', '16:00');
    const { page, close } = await atDesk();
    const found: string[] = [];
    const check = async (where: string) =>
      found.push(...(await accessibilityProblems(page)).map((p) => `${where}: ${p}`));
    await check('/desk');
    await page.getByLabel('Scan a card or type a booking code').fill(code);
    await submit(page, () => page.getByRole('button', { name: 'Check in', exact: true }).click());
    await check('/desk after a check-in');
    await page.getByLabel('Scan a card or type a booking code').fill('NOPE99');
    await submit(page, () => page.getByRole('button', { name: 'Check in', exact: true }).click());
    await check('/desk after a refusal');
    for (const path of [
      '/desk/patrons',
      `/desk/patrons?q=${patron.cardNumber}`,
      '/desk/patrons?q=nobody-like-this',
      '/reports',
      `/reports?from=${TODAY}&to=${TODAY}`,
      '/reports?from=2026-12-05&to=2026-12-01',
    ]) {
      await page.goto(path);
      await check(path);
    }
    expect(found).toEqual([]);
    await close();
  });
  it('hands a kit over against its checklist and takes it back with a part missing', async () => {
    const assetTag = `PG-${process.pid}`;
    const kit = await newDevice(t, {
      category: 'photo-video-loan',
      kind: 'loan',
      assetTag,
      parts: ['Camera body', 'Battery', 'Charger'],
      policy: { slotMinutes: 1440, minMinutes: 1440, maxMinutes: 10080, maxMinutesPerWeek: 30240 },
    });
    const patron = await newPatron(t, { name: 'Dorothy Vaughan' });
    // Today's loan is booked by staff: a patron's own booking cannot start in the past (midnight).
    const reserved = await t.http
      .post('/api/bookings')
      .set(bearer(staffToken))
      .send({
        equipment: kit,
        cardNumber: patron.cardNumber,
        start: local(`${TODAY}T00:00`),
        end: local('2026-12-03T00:00'),
      })
      .expect(201);
    const { page, close } = await atDesk();
    await page.goto('/desk/loans');
    await page.getByLabel('Kit’s asset tag').fill(assetTag);
    await page.getByLabel('Patron’s card number').fill(patron.cardNumber);
    await page.getByRole('button', { name: 'Show the parts checklist' }).click();
    await page.getByLabel('Charger').uncheck();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Hand the kit over' }).click();
    await page.waitForURL('**/desk/loans');
    await expect(status(page)).resolves.toMatch(
      /is out with Dorothy Vaughan, due back by closing on Wed, Dec 2\./,
    );
    const code = reserved.body.code as string;
    const form = page.getByRole('form', { name: `Take back ${code}` });
    await form.getByLabel('How it came back').fill('Good, lens cap scuffed');
    await form.getByLabel('Battery').check();
    expect(await accessibilityProblems(page)).toEqual([]);
    await form.getByRole('button', { name: `Take back ${code}` }).click();
    await page.waitForURL('**/desk/loans');
    await expect(status(page)).resolves.toMatch(
      /is back from Dorothy Vaughan\. Missing: Battery\. It is out of service until staff set it back to available\./,
    );
    const loan = await t.http
      .get(`/api/bookings/${reserved.body.id}`)
      .set(bearer(staffToken))
      .expect(200);
    expect(loan.body.status).toBe('completed');
    await close();
  });
});
