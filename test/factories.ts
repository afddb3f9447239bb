import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import type { TestApp } from './create-test-app';

export const DEMO = {
  librarian: { email: 'librarian@example.org', password: 'librarian-demo' },
  staff: { email: 'staff@example.org', password: 'staff-demo' },
  patron: { cardNumber: '21234000000017', pin: '1234' },
  teen: { cardNumber: '21234000000025', pin: '1234' },
} as const;

export type DemoAccount = keyof typeof DEMO;

let serial = 0;

/** A card number no other test in this process uses. */
export function uniqueCardNumber(): string {
  serial += 1;
  return `29${String(process.pid % 100000).padStart(5, '0')}${String(serial).padStart(7, '0')}`;
}

export async function signIn(t: TestApp, who: DemoAccount): Promise<string> {
  const response = await t.http.post('/api/auth/login').send(DEMO[who]).expect(200);
  return response.body.token as string;
}

export interface TestPatron {
  cardNumber: string;
  pin: string;
  token: string;
  id: string;
}

const deskTokens = new WeakMap<TestApp, string>();

/** The desk verifies a patron after seeing their card, as `PATCH /api/patrons/:card` does. */
export async function verifyAtDesk(t: TestApp, cardNumber: string): Promise<void> {
  const patch = (token: string) =>
    t.http.patch(`/api/patrons/${cardNumber}`).set(bearer(token)).send({ verified: true });
  let response = deskTokens.has(t) ? await patch(deskTokens.get(t)!) : null;
  if (response?.status !== 200) {
    // The desk's session ran out (a test moved the clock on), or this app has none yet.
    deskTokens.set(t, await signIn(t, 'staff'));
    response = await patch(deskTokens.get(t)!);
  }
  if (response.status !== 200)
    throw new Error(`The desk could not verify card ${cardNumber}: ${response.status}`);
}

/**
 * Registers and signs in a new adult patron (or one born on `birthDate`), verified at the desk so
 * they can book; `unverified: true` leaves them waiting to confirm their e-mail address.
 */
export async function newPatron(
  t: TestApp,
  overrides: { birthDate?: string; name?: string; unverified?: boolean } = {},
): Promise<TestPatron> {
  const cardNumber = uniqueCardNumber();
  const pin = '4321';
  const registered = await t.http
    .post('/api/auth/register')
    .send({
      cardNumber,
      pin,
      name: overrides.name ?? `Patron ${cardNumber}`,
      email: `p${cardNumber}@example.org`,
      birthDate: overrides.birthDate ?? '1990-01-01',
    })
    .expect(201);
  if (!overrides.unverified) await verifyAtDesk(t, cardNumber);
  const login = await t.http.post('/api/auth/login').send({ cardNumber, pin }).expect(200);
  return { cardNumber, pin, token: login.body.token as string, id: registered.body.id as string };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface DeviceSpec {
  slug?: string;
  category?: string;
  kind?: 'station' | 'loan';
  requiresOrientation?: boolean;
  minAge?: number;
  policy?: Record<string, number | boolean>;
  assetTag?: string;
  parts?: string[];
}

let deviceSerial = 0;

/** A station (or kit) of the test's own, with the policy spelled out so rules are predictable. */
export async function newDevice(t: TestApp, spec: DeviceSpec = {}): Promise<string> {
  deviceSerial += 1;
  const slug = spec.slug ?? `test-device-${process.pid}-${deviceSerial}`;
  const librarian = await signIn(t, 'librarian');
  const policy = {
    slotMinutes: 30,
    minMinutes: 30,
    maxMinutes: 120,
    bufferMinutes: 0,
    maxAdvanceDays: 14,
    minNoticeMinutes: 0,
    maxActivePerPatron: 5,
    maxMinutesPerWeek: 1200,
    ...spec.policy,
  };
  await t.http
    .post('/api/equipment')
    .set(bearer(librarian))
    .send({
      slug,
      name: `Test station ${deviceSerial}`,
      category: spec.category ?? 'editing',
      kind: spec.kind ?? 'station',
      location: 'Digital Media Lab, test bench',
      requiresOrientation: spec.requiresOrientation ?? false,
      minAge: spec.minAge ?? 0,
      policy,
      ...(spec.assetTag === undefined ? {} : { assetTag: spec.assetTag }),
      ...(spec.parts === undefined ? {} : { parts: spec.parts }),
    })
    .expect(201);
  return slug;
}

/** A library-local wall-clock time as an ISO instant with its offset. */
export function local(dateTime: string, zone = 'America/New_York'): string {
  return DateTime.fromISO(dateTime, { zone }).toISO({ suppressMilliseconds: true })!;
}

/** The e-mail every self-registered patron gets first, with the link confirming their address. */
export const CONFIRM_EMAIL_SUBJECT = 'Confirm your e-mail address for the Digital Media Lab';

/**
 * Delivers the mail that is due, then every e-mail in the outbox addressed to the patron since
 * registering: the registration's confirmation link is left out (`newPatron` verifies at the desk;
 * test/verified-patrons.e2e-spec.ts reads that e-mail).
 */
export async function mailTo(t: TestApp, patron: TestPatron) {
  const mails = await t.mailbox();
  return mails.filter(
    (m) =>
      m.to &&
      JSON.stringify(m.to).includes(`p${patron.cardNumber}@example.org`) &&
      m.subject !== CONFIRM_EMAIL_SUBJECT,
  );
}

let kitSerial = 0;

/** A camera kit of the test's own with a parts list, booked by whole days with no notice needed. */
export async function newKit(
  t: TestApp,
  parts: string[],
): Promise<{ slug: string; assetTag: string }> {
  kitSerial += 1;
  const assetTag = `KIT-${process.pid}-${kitSerial}`;
  const slug = await newDevice(t, {
    category: 'photo-video-loan',
    kind: 'loan',
    assetTag,
    parts,
    policy: {
      slotMinutes: 1440,
      minMinutes: 1440,
      maxMinutes: 10080,
      maxAdvanceDays: 30,
      maxMinutesPerWeek: 30240,
    },
  });
  return { slug, assetTag };
}

/** The hidden fields of the first form on a page posting to `action`. */
export function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  expect(start).toBeGreaterThan(-1);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields[match[1]] = match[2];
  return fields;
}

/** The message a form's redirect leaves for the next page, from its flash cookie. */
export function flashOf(response: {
  headers: Record<string, string | string[] | undefined>;
}): { kind: string; text: string } | null {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const flash = cookies.find((c) => c.startsWith('dml_flash='));
  if (!flash) return null;
  return JSON.parse(decodeURIComponent(flash.slice('dml_flash='.length).split(';')[0])) as {
    kind: string;
    text: string;
  };
}

/**
 * A statement run on the test app's SQLite file through a connection of its own, as the staff
 * command or a librarian's `sqlite3` shell would run it beside the server.
 */
export function writeFromElsewhere(t: TestApp, sql: string, ...values: unknown[]): void {
  const other = new Database(t.app.get(DataSource).options.database as string);
  try {
    other.prepare(sql).run(...values);
  } finally {
    other.close();
  }
}

/** Reads a walkthrough as the patron, steps `from` to `to` (the last, if not given). */
export async function finishWalkthrough(
  t: TestApp,
  token: string,
  slug: string,
  from = 1,
  to?: number,
): Promise<void> {
  const manual = await t.http.get(`/api/manuals/${slug}`).expect(200);
  for (let step = from; step <= (to ?? manual.body.steps.length); step += 1)
    await t.http
      .post(`/api/manuals/${slug}/progress`)
      .set(bearer(token))
      .send({ step })
      .expect(200);
}

/** A librarian adds a step to a walkthrough and publishes it as a change to how the device is used. */
export async function publishUsageChange(
  t: TestApp,
  librarian: string,
  slug: string,
  step: { title: string; body: string },
  note: string,
): Promise<void> {
  const working = await t.http.get(`/api/manuals/${slug}/draft`).set(bearer(librarian)).expect(200);
  await t.http
    .put(`/api/manuals/${slug}/draft`)
    .set(bearer(librarian))
    .send({ ...working.body.content, steps: [...working.body.content.steps, step] })
    .expect(200);
  await t.http
    .post(`/api/manuals/${slug}/publish`)
    .set(bearer(librarian))
    .send({ changesUsage: true, note })
    .expect(200);
}

/**
 * Asks until `holds` is true, as an instance hears of a change (on PostgreSQL, a moment after it
 * commits): at most 2 s.
 */
export async function eventually(holds: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; !(await holds()); waited += 20) {
    if (waited > 2_000) throw new Error(`${what} was not seen within 2 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
