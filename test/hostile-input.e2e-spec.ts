import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { csrfTokenFor } from '../src/web/csrf';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, DEMO, newDevice, signIn, uniqueCardNumber } from './factories';

describe('Hostile input', () => {
  let t: TestApp;
  let librarian: string;

  beforeAll(async () => {
    t = await createTestApp();
    librarian = await signIn(t, 'librarian');
  });
  afterAll(() => t.close());

  describe('the API reads JSON bodies only', () => {
    it.each([
      ['a url-encoded form', 'application/x-www-form-urlencoded', 'cardNumber=1&pin=2'],
      ['plain text holding JSON', 'text/plain', JSON.stringify(DEMO.patron)],
      ['a multipart form', 'multipart/form-data; boundary=x', '--x--\r\n'],
    ])('answers 415 to a sign-in sent as %s, and signs nobody in', async (_what, type, body) => {
      const response = await t.http
        .post('/api/auth/login')
        .set('Content-Type', type)
        .send(body)
        .expect(415);
      expect(response.body).toMatchObject({
        statusCode: 415,
        message: expect.stringMatching(/JSON/),
      });
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('answers 415 to a registration or a booking that is not JSON', async () => {
      await t.http
        .post('/api/auth/register')
        .type('form')
        .send({ cardNumber: uniqueCardNumber(), pin: '1234', name: 'X', email: 'x@example.org' })
        .expect(415);
      const token = await signIn(t, 'patron');
      await t.http
        .post('/api/bookings')
        .set(bearer(token))
        .set('Content-Type', 'text/plain')
        .send('{}')
        .expect(415);
    });

    it('still takes a bare POST with no body, and JSON with a charset', async () => {
      const token = await signIn(t, 'patron');
      await t.http.post('/api/auth/logout').set(bearer(token)).expect(204);
      await t.http
        .post('/api/auth/login')
        .set('Content-Type', 'application/json; charset=utf-8')
        .send(JSON.stringify(DEMO.patron))
        .expect(200);
    });
  });

  describe('login forms from other sites', () => {
    const visitor = 'a-visitor-secret-value';
    const form = { ...DEMO.patron, _csrf: csrfTokenFor(visitor) };

    it('signs in from our own page', async () => {
      const response = await t.http
        .post('/login')
        .set('Cookie', `dml_csrf=${visitor}`)
        .set('Sec-Fetch-Site', 'same-origin')
        .type('form')
        .send(form)
        .expect(303);
      expect(String(response.headers['set-cookie'])).toMatch(/dml_session=/);
    });

    it.each([
      [{ 'Sec-Fetch-Site': 'cross-site' }],
      [{ 'Sec-Fetch-Site': 'same-site' }],
      [{ Origin: 'https://evil.example' }],
    ])('refuses a page sign-in sent with %j, even with a token', async (headers) => {
      const response = await t.http
        .post('/login')
        .set('Cookie', `dml_csrf=${visitor}`)
        .set(headers)
        .type('form')
        .send(form)
        .expect(403);
      expect(response.headers['set-cookie'] ?? []).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/dml_session=/)]),
      );
    });
  });

  describe('sign-in locks', () => {
    async function misses(
      app: TestApp,
      body: Record<string, string>,
      count: number,
      address = '203.0.113.9',
    ): Promise<{ statuses: number[]; retryAfter: string | undefined }> {
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < count; i++) {
        const response = await app.http
          .post('/api/auth/login')
          .set('X-Forwarded-For', address)
          .send(body);
        statuses.push(response.status);
        retryAfter = response.headers['retry-after'];
      }
      return { statuses, retryAfter };
    }

    it('answers an unknown card exactly as a real one: 401 four times, then 429 with Retry-After', async () => {
      const real = await misses(t, { cardNumber: DEMO.teen.cardNumber, pin: '0000' }, 6);
      const unknown = await misses(t, { cardNumber: '29999000000001', pin: '0000' }, 6);
      expect(unknown.statuses).toEqual(real.statuses);
      expect(unknown.statuses).toEqual([401, 401, 401, 401, 429, 429]);
      expect(unknown.retryAfter).toBe(real.retryAfter);
      expect(Number(unknown.retryAfter)).toBeGreaterThan(0);
    });

    it('holds the lock across instances, as it lives in the database', async () => {
      const other = await t.secondInstance();
      const card = '29999000000002';
      await misses(t, { cardNumber: card, pin: '0000' }, 5);
      const response = await other.http
        .post('/api/auth/login')
        .send({ cardNumber: card, pin: '0000' })
        .expect(429);
      expect(response.headers['retry-after']).toBeDefined();
    });

    it('does not let someone at another address lock staff out', async () => {
      const proxied = await createTestApp({ env: { TRUST_PROXY: 'true' } });
      try {
        const attacker = await misses(
          proxied,
          { email: DEMO.staff.email, password: 'wrong' },
          6,
          '198.51.100.7',
        );
        expect(attacker.statuses.slice(-2)).toEqual([429, 429]);
        await proxied.http
          .post('/api/auth/login')
          .set('X-Forwarded-For', '192.0.2.20')
          .send(DEMO.staff)
          .expect(200);
        // The attacker's own address stays locked, for the right password too.
        await proxied.http
          .post('/api/auth/login')
          .set('X-Forwarded-For', '198.51.100.7')
          .send(DEMO.staff)
          .expect(429);
      } finally {
        await proxied.close();
      }
    });
  });

  describe('names', () => {
    it('escapes formulas in the usage report CSV, and keeps numbers as numbers', async () => {
      const slug = await newDevice(t);
      await t.http
        .patch(`/api/equipment/${slug}`)
        .set(bearer(librarian))
        .send({ name: '=HYPERLINK("https://evil.example","Click")' })
        .expect(200);
      const csv = await t.http
        .get('/api/reports/usage')
        .set(bearer(librarian))
        .query({ from: '2026-11-01', to: '2026-11-30', format: 'csv' })
        .expect(200);
      const row = csv.text.split('\n').find((line) => line.includes(slug))!;
      expect(row).toContain(`"'=HYPERLINK(""https://evil.example"",""Click"")"`);
      expect(row).toMatch(/,0,/);
    });

    it.each([
      ['a device name', '/api/equipment', 'name'],
      ['a device location', '/api/equipment', 'location'],
      ['a patron name', '/api/auth/register', 'name'],
      ['a manual title', '/api/manuals', 'title'],
      ['a closure reason', '/api/closures', 'reason'],
    ])('refuses %s with a line break', async (_what, path, field) => {
      const bodies: Record<string, Record<string, unknown>> = {
        '/api/equipment': {
          slug: 'line-break-device',
          name: 'Studio',
          category: 'audio',
          kind: 'station',
          location: 'Lab',
        },
        '/api/auth/register': {
          cardNumber: uniqueCardNumber(),
          pin: '1234',
          name: 'Ada',
          email: 'ada@example.org',
          birthDate: '1990-01-01',
        },
        '/api/manuals': {
          slug: 'line-break-manual',
          title: 'Manual',
          summary: 'A summary.',
          difficulty: 'easy',
          estimatedMinutes: [5, 10],
          equipment: [],
          steps: [{ title: 'One', body: 'Do it.' }],
        },
        '/api/closures': { date: '2026-12-30', reason: 'Closed' },
      };
      const response = await t.http
        .post(path)
        .set(bearer(librarian))
        .send({ ...bodies[path], [field]: 'First line\r\nBEGIN:VEVENT' })
        .expect(400);
      expect(response.body.message).toContain(`${field} must be one line`);
    });
  });

  describe('sizes', () => {
    const big = (n: number) => '€'.repeat(n);
    const manual = (slug: string, stepBody: string) => ({
      slug,
      title: big(200),
      summary: big(1000),
      difficulty: 'easy',
      estimatedMinutes: [5, 10],
      equipment: [],
      introduction: big(20_000),
      conclusion: big(20_000),
      steps: Array.from({ length: 30 }, () => ({ title: big(200), body: stepBody })),
    });

    it('takes the largest manual the rules allow (30 steps of 20,000 characters)', async () => {
      await t.http
        .post('/api/manuals')
        .set(bearer(librarian))
        .send(manual('largest-manual', big(20_000)))
        .expect(201);
    });

    it('shows the editor again with what was typed when a manual is over its limits', async () => {
      const slug = 'editor-too-long';
      await t.http
        .post('/api/manuals')
        .set(bearer(librarian))
        .send({ ...manual(slug, 'Short.'), title: 'Editor', steps: [{ title: 'One', body: 'x' }] })
        .expect(201);
      const typed = `${'Typed by hand. '.repeat(1500)}THE END OF WHAT WAS TYPED`;
      const form: Record<string, string> = {
        _csrf: csrfTokenFor(librarian),
        title: 'Editor',
        summary: 'A summary.',
        difficulty: 'easy',
        minMinutes: '5',
        maxMinutes: '10',
        stepCount: '10',
        action: 'save',
      };
      for (let i = 0; i < 10; i++) {
        form[`step-${i}-title`] = `Step ${i + 1}`;
        form[`step-${i}-body`] = typed;
      }
      const response = await t.http
        .post(`/admin/manuals/${slug}/edit`)
        .set('Cookie', `dml_session=${librarian}`)
        .type('form')
        .send(form);
      expect(response.status).toBe(400);
      // Checked as booleans: a failure should not print the whole page.
      expect(response.text.includes('THE END OF WHAT WAS TYPED')).toBe(true);
      expect(response.text.includes('Body must be shorter than or equal to 20000 characters')).toBe(
        true,
      );
    });
  });

  describe('connections', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      server = t.app.getHttpServer() as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('closes a connection that never sends a byte', async () => {
      const started = Date.now();
      const socket = connect(port, '127.0.0.1');
      const closed = await Promise.race([
        new Promise<boolean>((resolve) => socket.on('close', () => resolve(true))),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 25_000)),
      ]);
      socket.destroy();
      expect(closed).toBe(true);
      expect(Date.now() - started).toBeLessThan(25_000);
    }, 30_000);
  });
});
