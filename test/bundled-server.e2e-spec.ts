import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import {
  call,
  createStation,
  ensureBuilt,
  type Json,
  type Server,
  startServer,
  tokenOf,
} from './built-app';
import { freshDatabase } from './create-test-app';
import { DEMO } from './factories';

/**
 * The server `npm start` runs is one bundled file (scripts/bundle.mjs), not the compiled tree the
 * other e2e tests load. What bundling could break is checked here on that file: the files it
 * serves from disk (pages' assets, the API docs' viewer), DTOs built from others with
 * `PartialType` and `PickType` (their rules are copied from the DTOs they are built on), a
 * patron's booking end to end, and the manuals' markdown and QR codes. That each package is in
 * the bundle once is checked by the build itself.
 */

const ZONE = 'America/New_York';

describe('The bundled server npm start runs', () => {
  let dataDir: string;
  let database: { url: string; drop: () => Promise<void> };
  let server: Server;
  let librarian: string;
  let patron: string;

  beforeAll(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'dml-bundle-'));
    database = await freshDatabase(dataDir);
    server = await startServer({
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      DEMO_USERS: 'true',
      LOG_LEVEL: 'silent',
      SCHEDULED_JOBS: 'false',
      LIBRARY_TIMEZONE: ZONE,
    });
    librarian = await tokenOf(server, DEMO.librarian);
    patron = await tokenOf(server, DEMO.patron);
  }, 120_000);

  afterAll(async () => {
    server?.kill();
    await server?.exited;
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the home page with its style sheet and script', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:href|src)="(\/assets\/[^"?]+)/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining(['/assets/site.css']));
    for (const asset of new Set(assets)) {
      const response = await fetch(`${server.url}${asset}`);
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
      expect((await response.text()).length).toBeGreaterThan(0);
    }
  });

  it('serves the API docs viewer with its files, and the document behind it', async () => {
    const viewer = await fetch(`${server.url}/api/docs`);
    expect(viewer.status).toBe(200);
    const html = await viewer.text();
    const files = [...html.matchAll(/(?:href|src)="\.?\/?([^"]+\.(?:css|js))"/g)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const path = file.startsWith('/') ? file : `/api/docs/${file}`;
      const response = await fetch(`${server.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
    }
    const document = await call(server, 'GET', '/api/docs-json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths as object)).toEqual(
      expect.arrayContaining(['/api/bookings', '/api/equipment/{slug}']),
    );
  });

  it('keeps the rules of a device edit built with PartialType, nested policy included', async () => {
    expect(await createStation(server, librarian, 'bundle-edit')).toBe(201);
    const refused = await call(server, 'PATCH', '/api/equipment/bundle-edit', librarian, {
      policy: { slotMinutes: 'often' },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.message)).toContain('slotMinutes');
    const renamed = await call(server, 'PATCH', '/api/equipment/bundle-edit', librarian, {
      name: 'Edit bay by the window',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Edit bay by the window');
    const stored = await call(server, 'GET', '/api/equipment/bundle-edit');
    expect(stored.body.policy).toMatchObject({ slotMinutes: 30, maxMinutes: 120 });
  });

  it('books, reschedules and cancels a patron’s slot, and renders a manual and its QR code', async () => {
    expect(await createStation(server, librarian, 'bundle-book')).toBe(201);
    const from = DateTime.now().setZone(ZONE).plus({ days: 2 });
    const days = await call(
      server,
      'GET',
      `/api/hours?from=${from.toISODate()}&to=${from.plus({ days: 14 }).toISODate()}`,
    );
    const open = (days.body as unknown as { open: { start: string }[] }[]).find(
      (day) => day.open.length > 0,
    )!.open[0];
    const start = DateTime.fromISO(open.start);
    const slot = (offset: number) => ({
      start: start.plus({ minutes: offset }).toISO(),
      end: start.plus({ minutes: offset + 30 }).toISO(),
    });

    const booked = await call(server, 'POST', '/api/bookings', patron, {
      equipment: 'bundle-book',
      ...slot(0),
    });
    expect(booked.status).toBe(201);
    const id = booked.body.id as string;

    const typo = await call(server, 'PATCH', `/api/bookings/${id}`, patron, {
      start: 'half past ten',
      end: slot(30).end,
    });
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.body.message)).toContain('start');
    const moved = await call(server, 'PATCH', `/api/bookings/${id}`, patron, slot(30));
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.start as string)).toBe(Date.parse(slot(30).start!));

    const cancelled = await call(server, 'POST', `/api/bookings/${id}/cancel`, patron);
    expect(cancelled.status).toBe(200);
    const mine = await call(server, 'GET', '/api/bookings?equipment=bundle-book', patron);
    expect((mine.body as Json[]).map((b) => b.status)).toEqual(['cancelled']);

    const manuals = await call(server, 'GET', '/api/manuals');
    const slug = (manuals.body as Json[])[0].slug as string;
    const manual = await call(server, 'GET', `/api/manuals/${slug}`);
    expect((manual.body.steps as Json[])[0].html).toMatch(/<p>|<ol>|<ul>/);
    const qr = await fetch(`${server.url}/api/manuals/${slug}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(await qr.text()).toContain('<svg');
  });
});
