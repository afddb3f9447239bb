import { csrfTokenFor } from '../src/web/csrf';
import { createTestApp, TestApp } from './create-test-app';
import { newDevice, signIn } from './factories';

// Every page route, found in the running app, fed junk in its path, query and form fields as
// anonymous, patron, staff and librarian: a page may refuse, never fail with a 5xx.
const SEED = Number(process.env.FUZZ_SEED ?? 20261129) >>> 0;
const ROUNDS = Number(process.env.PAGE_FUZZ_ROUNDS ?? 10);

const JUNK: readonly string[] = [
  '',
  ' ',
  '0',
  '-1',
  '1e308',
  'NaN',
  'null',
  'true',
  '2026-02-30',
  '2026-12-01T25:00',
  '9999-12-31T23:59:59Z',
  '2026-12-02T15:00:00Z',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  'a'.repeat(5000),
  '😀'.repeat(50),
  'up:0',
  'down:99',
  'remove:-1',
  'unpic:0:9',
  'add',
  '21234000000017',
  'K7M2QX',
  'podcast-studio',
  'podcast-studio-basics',
  '00000000-0000-4000-8000-000000000000',
];
const FIELDS = [
  'start',
  'minutes',
  'date',
  'from',
  'to',
  'q',
  'category',
  'kind',
  'next',
  'cardNumber',
  'pin',
  'email',
  'password',
  'name',
  'birthDate',
  'step',
  'stepCount',
  'title',
  'summary',
  'action',
  'difficulty',
  'minMinutes',
  'maxMinutes',
  'equipment',
  'step-0-title',
  'step-0-body',
  'step-0-image-0-src',
  'step-0-image-0-alt',
  'slug',
  'status',
  'policy.slotMinutes',
  'parts',
  'reason',
  'code',
  'manual',
  'assetTag',
  'partsPresent',
  'condition',
  'missingParts',
  'note',
  'changesUsage',
  'markdown',
  'alt',
  'd1-0-opens',
  'd1-0-closes',
  'device',
  'length',
];

class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

interface PageRoute {
  method: 'get' | 'post';
  path: string;
}

describe('Pages under junk input', () => {
  let t: TestApp;
  const sessions: Record<string, string | null> = {};

  beforeAll(async () => {
    t = await createTestApp();
    await newDevice(t);
    sessions.anonymous = null;
    for (const who of ['patron', 'staff', 'librarian'] as const)
      sessions[who] = await signIn(t, who);
  });
  afterAll(() => t.close());

  function pageRoutes(): PageRoute[] {
    const express = t.app.getHttpAdapter().getInstance() as {
      router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    };
    const routes: PageRoute[] = [];
    for (const layer of express.router.stack) {
      const route = layer.route;
      // Catch-alls (`{/*splat}`) belong to the API documentation's static files.
      if (!route || route.path.startsWith('/api') || route.path === '/health') continue;
      if (/[{*]/.test(route.path)) continue;
      for (const method of ['get', 'post'] as const)
        if (route.methods[method]) routes.push({ method, path: route.path });
    }
    return routes;
  }

  it('finds the page routes', () => {
    const paths = pageRoutes().map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'get /',
        'get /schedule',
        'post /equipment/:slug/book',
        'post /admin/manuals/:slug/edit',
        'post /desk/check-in',
      ]),
    );
  });

  it('never answers a page request with a 5xx', async () => {
    const r = new Random(SEED);
    const failures: string[] = [];
    const routes = pageRoutes();
    for (let round = 0; round < ROUNDS; round++) {
      for (const route of routes) {
        for (const [who, token] of Object.entries(sessions)) {
          const path = route.path.replace(/:[a-z]+/gi, () => encodeURIComponent(r.pick(JUNK)));
          const fields: Record<string, string | string[]> = {};
          const count = 1 + Math.floor(r.next() * 8);
          for (let i = 0; i < count; i++)
            fields[r.pick(FIELDS)] = r.next() < 0.15 ? [r.pick(JUNK), r.pick(JUNK)] : r.pick(JUNK);
          const query = Object.entries(fields)
            .slice(0, 3)
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
            .join('&');
          const request =
            route.method === 'get'
              ? t.http.get(`${path}?${query}`)
              : t.http.post(path).type('form');
          if (token) request.set('Cookie', `dml_session=${token}`);
          const response =
            route.method === 'post'
              ? await request.send({ ...fields, _csrf: token ? csrfTokenFor(token) : '' })
              : await request;
          if (response.status >= 500)
            failures.push(
              `${who} ${route.method.toUpperCase()} ${path} ${JSON.stringify(fields).slice(0, 300)} → ${response.status}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
    // Still serving.
    await t.http.get('/health').expect(200);
  });
});
