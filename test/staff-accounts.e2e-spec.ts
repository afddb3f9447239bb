import type { ParsedMail } from 'mailparser';
import { csrfTokenFor } from '../src/web/csrf';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn } from './factories';

// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';

describe('Staff accounts', () => {
  let t: TestApp;
  let librarian: string;
  let serial = 0;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    librarian = await signIn(t, 'librarian');
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const newEmail = () => {
    serial += 1;
    return `desk${process.pid}-${serial}@library.example`;
  };

  const linkIn = (mail: ParsedMail | undefined): string => {
    const match = /http:\/\/localhost:3000\/reset\?token=([\w-]+)/.exec(mail?.text ?? '');
    if (!match) throw new Error(`No link in ${mail?.text}`);
    return match[1];
  };

  const mailFor = async (email: string) =>
    (await t.mailbox()).filter((m) => JSON.stringify(m.to).includes(email));

  const create = async (role: 'staff' | 'librarian', email = newEmail()) => {
    const created = await t.http
      .post('/api/staff')
      .set(bearer(librarian))
      .send({ email, name: `Desk ${email}`, role })
      .expect(201);
    return { id: created.body.id as string, email };
  };

  /** A new account of `role` with its password set from the welcome link, signed in. */
  const activeAccount = async (role: 'staff' | 'librarian') => {
    const account = await create(role);
    const [welcome] = await mailFor(account.email);
    const password = 'a-long-desk-password';
    await t.http
      .post('/api/auth/pin-reset/confirm')
      .send({ token: linkIn(welcome), password })
      .expect(200);
    const login = await t.http
      .post('/api/auth/login')
      .send({ email: account.email, password })
      .expect(200);
    return { ...account, password, token: login.body.token as string };
  };

  it('creates a desk account whose e-mailed link sets its password, and it checks a patron in', async () => {
    const email = newEmail();
    const created = await t.http
      .post('/api/staff')
      .set(bearer(librarian))
      .send({ email, name: 'Dana Desk', role: 'staff' })
      .expect(201);
    expect(created.body).toMatchObject({
      email,
      name: 'Dana Desk',
      role: 'staff',
      disabled: false,
    });
    expect(created.body).not.toHaveProperty('secretHash');

    const [welcome, ...more] = await mailFor(email);
    expect(more).toEqual([]);
    expect(welcome.subject).toBe('Your Digital Media Lab staff account');
    expect(welcome.text).toContain('valid for 7 days');
    const token = linkIn(welcome);

    for (const weak of [{ password: 'too-short' }, { pin: '1234', password: 'too-short' }])
      await t.http
        .post('/api/auth/pin-reset/confirm')
        .send({ token, ...weak })
        .expect(400);
    t.clock.set('2026-12-07T14:00:00Z');
    await t.http
      .post('/api/auth/pin-reset/confirm')
      .send({ token, password: 'correct horse battery' })
      .expect(200);
    const again = await t.http
      .post('/api/auth/pin-reset/confirm')
      .send({ token, password: 'another long password' })
      .expect(410);
    expect(again.body.message).toMatch(/already been used/);

    const login = await t.http
      .post('/api/auth/login')
      .send({ email, password: 'correct horse battery' })
      .expect(200);
    expect(login.body.user.role).toBe('staff');

    const patron = await newPatron(t);
    const device = await newDevice(t);
    const booking = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({
        equipment: device,
        start: local('2026-12-08T10:00'),
        end: local('2026-12-08T10:30'),
      })
      .expect(201);
    t.clock.set(local('2026-12-08T10:00'));
    const checkedIn = await t.http
      .post('/api/desk/check-in')
      .set(bearer(login.body.token as string))
      .send({ cardNumber: patron.cardNumber })
      .expect(200);
    expect(JSON.stringify(checkedIn.body)).toContain(booking.body.id as string);
  });

  it('lets a welcome link run out after 7 days', async () => {
    const account = await create('staff');
    const token = linkIn((await mailFor(account.email))[0]);
    t.clock.set('2026-12-08T14:00:01Z');
    const late = await t.http
      .post('/api/auth/pin-reset/confirm')
      .send({ token, password: 'correct horse battery' })
      .expect(410);
    expect(late.body.message).toMatch(/expired/);
  });

  it('refuses a second account for the same e-mail', async () => {
    const account = await create('staff');
    const again = await t.http
      .post('/api/staff')
      .set(bearer(librarian))
      .send({ email: account.email.toUpperCase(), name: 'Twin', role: 'librarian' })
      .expect(409);
    expect(again.body.message).toMatch(/already/);
  });

  it('lists desk and librarian accounts, not patrons', async () => {
    const account = await create('librarian');
    const listed = await t.http.get('/api/staff').set(bearer(librarian)).expect(200);
    const emails = (listed.body as { email: string; role: string }[]).map((a) => a.email);
    expect(emails).toEqual(
      expect.arrayContaining(['librarian@example.org', 'staff@example.org', account.email]),
    );
    expect((listed.body as { role: string }[]).every((a) => a.role !== 'patron')).toBe(true);
  });

  it('re-roles an account: a desk member made librarian may manage staff', async () => {
    const desk = await activeAccount('staff');
    await t.http.get('/api/staff').set(bearer(desk.token)).expect(403);
    const changed = await t.http
      .patch(`/api/staff/${desk.id}`)
      .set(bearer(librarian))
      .send({ role: 'librarian' })
      .expect(200);
    expect(changed.body.role).toBe('librarian');
    await t.http.get('/api/staff').set(bearer(desk.token)).expect(200);
  });

  it('disables an account: its sessions end and it cannot sign in until switched back on', async () => {
    const desk = await activeAccount('staff');
    await t.http.get('/api/me').set(bearer(desk.token)).expect(200);
    const off = await t.http
      .patch(`/api/staff/${desk.id}`)
      .set(bearer(librarian))
      .send({ disabled: true })
      .expect(200);
    expect(off.body.disabled).toBe(true);
    await t.http.get('/api/me').set(bearer(desk.token)).expect(401);
    const refused = await t.http
      .post('/api/auth/login')
      .send({ email: desk.email, password: desk.password })
      .expect(401);
    expect(refused.body.message).toMatch(/switched off/);
    // A switched-off account gets no reset link either.
    await t.http.post('/api/auth/pin-reset').send({ email: desk.email }).expect(202);
    expect(await mailFor(desk.email)).toHaveLength(1);

    await t.http
      .patch(`/api/staff/${desk.id}`)
      .set(bearer(librarian))
      .send({ disabled: false })
      .expect(200);
    await t.http
      .post('/api/auth/login')
      .send({ email: desk.email, password: desk.password })
      .expect(200);
  });

  it('never leaves the lab without an active librarian', async () => {
    // A lab of its own: the demo librarian and one more, then the demo one steps aside.
    const t2 = await createTestApp({ now: NOW });
    try {
      const first = await signIn(t2, 'librarian');
      const staffList = await t2.http.get('/api/staff').set(bearer(first)).expect(200);
      const demo = (staffList.body as { id: string; email: string }[]).find(
        (a) => a.email === 'librarian@example.org',
      )!;
      const refused = await t2.http
        .patch(`/api/staff/${demo.id}`)
        .set(bearer(first))
        .send({ role: 'staff' })
        .expect(422);
      expect(refused.body).toMatchObject({ code: 'LAST_LIBRARIAN' });
      expect(refused.body.message).toMatch(/last active librarian/);
      await t2.http
        .patch(`/api/staff/${demo.id}`)
        .set(bearer(first))
        .send({ disabled: true })
        .expect(422);

      // Two librarians switch each other off at once: exactly one of them stays.
      await t2.http
        .post('/api/staff')
        .set(bearer(first))
        .send({ email: 'second@library.example', name: 'Second', role: 'librarian' })
        .expect(201);
      const welcome = (await t2.mailbox()).find((m) => m.subject?.includes('staff account'));
      await t2.http
        .post('/api/auth/pin-reset/confirm')
        .send({ token: linkIn(welcome), password: 'second librarian pw' })
        .expect(200);
      const login = await t2.http
        .post('/api/auth/login')
        .send({ email: 'second@library.example', password: 'second librarian pw' })
        .expect(200);
      const second = { id: login.body.user.id as string, token: login.body.token as string };
      const results = await Promise.all([
        t2.http.patch(`/api/staff/${second.id}`).set(bearer(first)).send({ disabled: true }),
        t2.http.patch(`/api/staff/${demo.id}`).set(bearer(second.token)).send({ disabled: true }),
      ]);
      const statuses = results.map((r) => r.status);
      expect(statuses).toContain(200);
      // The other is refused as the last librarian, or finds its own session already ended.
      const losers = statuses.filter((s) => s !== 200);
      expect(losers).toHaveLength(1);
      expect([401, 422]).toContain(losers[0]);
      const stayer = statuses[0] === 200 ? first : second.token;
      const after = await t2.http.get('/api/staff').set(bearer(stayer)).expect(200);
      const active = (after.body as { role: string; disabled: boolean }[]).filter(
        (a) => a.role === 'librarian' && !a.disabled,
      );
      expect(active).toHaveLength(1);
    } finally {
      await t2.close();
    }
  });

  it('records every change in the audit trail', async () => {
    const desk = await activeAccount('staff');
    await t.http
      .patch(`/api/staff/${desk.id}`)
      .set(bearer(librarian))
      .send({ role: 'librarian' })
      .expect(200);
    await t.http
      .patch(`/api/staff/${desk.id}`)
      .set(bearer(librarian))
      .send({ disabled: true })
      .expect(200);
    const trail = await t.http
      .get('/api/audit')
      .query({ subject: desk.email })
      .set(bearer(librarian))
      .expect(200);
    const actions = (trail.body as { action: string; actor: string }[]).map((e) => e.action);
    expect(actions.sort()).toEqual(
      ['account.secret_reset', 'staff.created', 'staff.disabled', 'staff.role_changed'].sort(),
    );
  });

  it('keeps accounts on the /admin/staff page', async () => {
    const cookie = `dml_session=${librarian}`;
    const form = (fields: Record<string, string>) => ({
      ...fields,
      _csrf: csrfTokenFor(librarian),
    });
    const email = newEmail();
    await t.http
      .post('/admin/staff')
      .set('Cookie', cookie)
      .type('form')
      .send(form({ name: 'Paige Form', email, role: 'staff' }))
      .expect(303)
      .expect('Location', '/admin/staff');
    expect((await mailFor(email))[0]?.subject).toBe('Your Digital Media Lab staff account');
    const listed = await t.http.get('/api/staff').set(bearer(librarian)).expect(200);
    const id = (listed.body as { id: string; email: string }[]).find((a) => a.email === email)!.id;

    const page = await t.http.get('/admin/staff').set('Cookie', cookie).expect(200);
    expect(page.text).toContain('Paige Form');
    expect(page.text).toContain(`action="/admin/staff/${id}"`);
    await t.http
      .post(`/admin/staff/${id}`)
      .set('Cookie', cookie)
      .type('form')
      .send(form({ disabled: 'true' }))
      .expect(303);
    await t.http
      .post(`/admin/staff/${id}`)
      .set('Cookie', cookie)
      .type('form')
      .send(form({ role: 'librarian' }))
      .expect(303);
    const after = await t.http.get('/api/staff').set(bearer(librarian)).expect(200);
    expect((after.body as { id: string }[]).find((a) => a.id === id)).toMatchObject({
      role: 'librarian',
      disabled: true,
    });
    const shown = await t.http.get('/admin/staff').set('Cookie', cookie).expect(200);
    expect(shown.text).toMatch(/Switched off on/);
  });

  it('answers 404 for an account that is not staff', async () => {
    const patron = await newPatron(t);
    await t.http
      .patch(`/api/staff/${patron.id}`)
      .set(bearer(librarian))
      .send({ disabled: true })
      .expect(404);
  });
});
