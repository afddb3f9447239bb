import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './create-test-app';
import {
  bearer,
  CONFIRM_EMAIL_SUBJECT,
  DEMO,
  local,
  newDevice,
  newPatron,
  signIn,
  TestPatron,
  uniqueCardNumber,
} from './factories';

const NOW = '2026-12-01T14:00:00Z';

describe('Verified patrons', () => {
  let t: TestApp;
  let staff: string;
  let librarian: string;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(async () => {
    t.clock.set(NOW);
    staff = await signIn(t, 'staff');
    librarian = await signIn(t, 'librarian');
  });
  afterAll(() => t.close());

  const slot = (equipment: string, start: string, end: string) => ({
    equipment,
    start: local(`2026-12-02T${start}`),
    end: local(`2026-12-02T${end}`),
  });
  const book = (patron: TestPatron, equipment: string, start = '10:00', end = '11:00') =>
    t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send(slot(equipment, start, end));
  const confirmationLinks = async (patron: { cardNumber: string }) =>
    (await t.mailbox())
      .filter((m) => m.subject === CONFIRM_EMAIL_SUBJECT && m.text?.includes(patron.cardNumber))
      .map((m) => {
        const match = /http:\/\/localhost:3000\/verify\?token=([\w-]+)/.exec(m.text ?? '');
        if (!match) throw new Error(`No link in ${m.text}`);
        return { token: match[1], text: m.text ?? '' };
      });
  const me = async (patron: TestPatron) =>
    (await t.http.get('/api/me').set(bearer(patron.token)).expect(200)).body as {
      verified: boolean;
    };
  const trail = async (action: string, subject: string) =>
    (await t.http.get('/api/audit').query({ action, subject }).set(bearer(librarian)).expect(200))
      .body as { actor: string; details: unknown }[];

  it('refuses an unconfirmed patron a booking, and books once the e-mailed link is followed', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t, { unverified: true, name: 'Una Confirmed' });
    expect(await me(patron)).toMatchObject({ verified: false });

    const refused = await book(patron, device).expect(422);
    expect(refused.body.code).toBe('ACCOUNT_UNVERIFIED');
    expect(refused.body.message).toMatch(
      /Confirm your e-mail address.*or show your card at the desk/,
    );
    const day = await t.http
      .get(`/api/equipment/${device}/availability`)
      .query({ date: '2026-12-02' })
      .set(bearer(patron.token))
      .expect(200);
    expect(day.body).toMatchObject({ bookable: false, reason: { code: 'ACCOUNT_UNVERIFIED' } });

    const [link] = await confirmationLinks(patron);
    expect(link.text).toContain('valid for 2 days');
    const confirmed = await t.http.post('/api/auth/verify').send({ token: link.token }).expect(200);
    expect(confirmed.body.message).toMatch(/confirmed/);
    expect(await me(patron)).toMatchObject({ verified: true });
    await book(patron, device).expect(201);

    const again = await t.http.post('/api/auth/verify').send({ token: link.token }).expect(410);
    expect(again.body.code).toBe('LINK_USED');
    expect(await trail('patron.verified', patron.cardNumber)).toEqual([
      expect.objectContaining({ actor: 'Una Confirmed (patron)', details: { by: 'e-mail' } }),
    ]);
  });

  it('refuses an unconfirmed patron the waitlist, and the desk booking for them', async () => {
    const device = await newDevice(t);
    const holder = await newPatron(t);
    await book(holder, device).expect(201);
    const patron = await newPatron(t, { unverified: true });

    const queued = await t.http
      .post('/api/waitlist')
      .set(bearer(patron.token))
      .send(slot(device, '10:00', '11:00'))
      .expect(422);
    expect(queued.body.code).toBe('ACCOUNT_UNVERIFIED');
    const forThem = await t.http
      .post('/api/bookings')
      .set(bearer(staff))
      .send({ ...slot(device, '12:00', '13:00'), cardNumber: patron.cardNumber })
      .expect(422);
    expect(forThem.body.code).toBe('ACCOUNT_UNVERIFIED');
  });

  it('lets the desk verify a patron after seeing the card', async () => {
    const device = await newDevice(t);
    const patron = await newPatron(t, { unverified: true });
    await t.http
      .patch(`/api/patrons/${patron.cardNumber}`)
      .set(bearer(patron.token))
      .send({ verified: true })
      .expect(403);
    const bad = await t.http
      .patch(`/api/patrons/${patron.cardNumber}`)
      .set(bearer(staff))
      .send({ verified: 'yes' })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('verified');

    const verified = await t.http
      .patch(`/api/patrons/${patron.cardNumber}`)
      .set(bearer(staff))
      .send({ verified: true })
      .expect(200);
    expect(verified.body).toMatchObject({ cardNumber: patron.cardNumber, verified: true });
    await book(patron, device).expect(201);
    expect(await trail('patron.verified', patron.cardNumber)).toEqual([
      expect.objectContaining({
        actor: 'Sam Desk (staff)',
        details: { by: 'card seen at the desk' },
      }),
    ]);
    // Nothing left to confirm: the old link changes nothing, and no new one is sent.
    const [link] = await confirmationLinks(patron);
    await t.http.post('/api/auth/verify').send({ token: link.token }).expect(200);
    await t.http.post('/api/auth/verify/resend').send({ cardNumber: patron.cardNumber });
    expect(await confirmationLinks(patron)).toHaveLength(1);
  });

  it('lets a link run out after 2 days and sends a new one on request', async () => {
    const patron = await newPatron(t, { unverified: true });
    const [old] = await confirmationLinks(patron);
    t.clock.advance(48 * 60 + 1);
    const late = await t.http.post('/api/auth/verify').send({ token: old.token }).expect(410);
    expect(late.body).toMatchObject({ code: 'LINK_EXPIRED' });
    expect(late.body.message).toMatch(/expired/);

    await t.http
      .post('/api/auth/verify/resend')
      .send({ cardNumber: patron.cardNumber })
      .expect(202, {});
    await t.http
      .post('/api/auth/verify/resend')
      .send({ cardNumber: uniqueCardNumber() })
      .expect(202, {});
    await t.http
      .post('/api/auth/verify/resend')
      .send({ email: `P${patron.cardNumber}@EXAMPLE.org` })
      .expect(202, {});
    const links = await confirmationLinks(patron);
    expect(links).toHaveLength(3);
    const fresh = links.find((l) => l.token !== old.token)!;
    await t.http.post('/api/auth/verify').send({ token: fresh.token }).expect(200);
    const login = await t.http
      .post('/api/auth/login')
      .send({ cardNumber: patron.cardNumber, pin: patron.pin })
      .expect(200);
    expect(login.body.user).toMatchObject({ verified: true });
  });

  it('keeps confirmation links and PIN links apart', async () => {
    const patron = await newPatron(t, { unverified: true });
    const [link] = await confirmationLinks(patron);
    const asReset = await t.http
      .post('/api/auth/pin-reset/confirm')
      .send({ token: link.token, pin: '9999' })
      .expect(400);
    expect(asReset.body.code).toBe('LINK_INVALID');
    await t.http.post('/api/auth/pin-reset').send({ cardNumber: patron.cardNumber }).expect(202);
    const reset = (await t.mailbox()).find(
      (m) => m.subject === 'Reset your Digital Media Lab PIN' && m.text?.includes('reset?token='),
    );
    const resetToken = /reset\?token=([\w-]+)/.exec(reset?.text ?? '')![1];
    const asVerify = await t.http.post('/api/auth/verify').send({ token: resetToken }).expect(400);
    expect(asVerify.body.code).toBe('LINK_INVALID');
    expect(await me(patron)).toMatchObject({ verified: false });
    await t.http.post('/api/auth/verify').send({ token: 'short' }).expect(400);
  });

  describe('an unconfirmed registration', () => {
    const register = (cardNumber: string, pin: string, name: string) =>
      t.http.post('/api/auth/register').send({
        cardNumber,
        pin,
        name,
        email: `${name.split(' ')[0].toLowerCase()}@example.org`,
        birthDate: '1990-01-01',
      });
    const signInWith = (cardNumber: string, pin: string) =>
      t.http.post('/api/auth/login').send({ cardNumber, pin });

    it('holds the card for 7 days, then a new registration replaces it', async () => {
      const cardNumber = uniqueCardNumber();
      await register(cardNumber, '1111', 'Squatter Sam').expect(201);
      t.clock.advance(6 * 24 * 60);
      const early = await register(cardNumber, '2222', 'Owner Olive').expect(409);
      expect(early.body.message).toMatch(/already registered/);

      t.clock.advance(24 * 60 + 1);
      const fresh = await register(cardNumber, '2222', 'Owner Olive').expect(201);
      expect(fresh.body).toMatchObject({ name: 'Owner Olive', verified: false });
      await signInWith(cardNumber, '1111').expect(401);
      await signInWith(cardNumber, '2222').expect(200);
      expect(await trail('patron.registration_lapsed', cardNumber)).toEqual([
        expect.objectContaining({ actor: 'system' }),
      ]);
      expect(await trail('patron.registered', cardNumber)).toHaveLength(2);
    });

    it('never replaces a verified patron, and a verification is not taken back', async () => {
      const device = await newDevice(t);
      const booked = await newPatron(t);
      await book(booked, device).expect(201);
      const undo = await t.http
        .patch(`/api/patrons/${booked.cardNumber}`)
        .set(bearer(staff))
        .send({ verified: false })
        .expect(400);
      expect(JSON.stringify(undo.body.message)).toContain('verified');
      t.clock.advance(8 * 24 * 60);
      await register(booked.cardNumber, '2222', 'Other Oscar').expect(409);
      await signInWith(booked.cardNumber, booked.pin).expect(200);
    });
  });

  it('counts every account older than the migration as verified, and the migration undoes cleanly', async () => {
    const patron = await newPatron(t, { unverified: true });
    const data = t.app.get(DataSource);
    const columns = async () => {
      const runner = data.createQueryRunner();
      try {
        return (await runner.getTable('users'))!.columns.map((c) => c.name);
      } finally {
        await runner.release();
      }
    };
    const applied = async () =>
      (await data.query<{ name: string }[]>('SELECT name FROM migrations')).map((m) => m.name);
    while ((await applied()).includes('PatronVerification1765110000000'))
      await data.undoLastMigration({ transaction: 'each' });
    expect(await columns()).not.toContain('verified_at');
    await data.runMigrations({ transaction: 'each' });
    expect(await columns()).toContain('verified_at');
    expect(await me(patron)).toMatchObject({ verified: true });
  });

  it('counts the demo patrons as verified', async () => {
    const login = await t.http.post('/api/auth/login').send(DEMO.patron).expect(200);
    expect(login.body.user).toMatchObject({ verified: true });
  });
});
