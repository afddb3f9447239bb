import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestApp, TestApp } from './create-test-app';
import { bearer, local, newDevice, newPatron } from './factories';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const BIN = (path: string) => join(ROOT, 'node_modules', path);

// Tuesday 1 December 2026, 9:00 in New York.
const NOW = '2026-12-01T14:00:00Z';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
}
interface Media {
  schema?: Schema;
}
interface Operation {
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Where in a schema an object says nothing about its fields (`{}` or `{type: object}`), by path. */
function shapeless(
  document: Document,
  schema: Schema | undefined,
  at: string,
  seen: Set<string>,
): string[] {
  if (!schema) return [at];
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    if (seen.has(name)) return [];
    seen.add(name);
    return shapeless(document, document.components.schemas[name], name, seen);
  }
  const parts = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (parts) return parts.flatMap((part) => shapeless(document, part, at, seen));
  if (schema.type === 'array') return shapeless(document, schema.items, `${at}[]`, seen);
  if (schema.type && schema.type !== 'object') return [];
  if (schema.enum) return [];
  const fields = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  // `additionalProperties: false` with no fields is an answer that is empty on purpose.
  if (fields.length === 0 && extra !== false && typeof extra !== 'object') return [at];
  return [
    ...fields.flatMap(([name, field]) => shapeless(document, field, `${at}.${name}`, seen)),
    ...(typeof extra === 'object' ? shapeless(document, extra, `${at}{}`, seen) : []),
  ];
}

/**
 * A client program as someone using the API would write it: types generated from the document,
 * requests through `openapi-fetch`. The `@ts-expect-error` lines fail the type check if the
 * generated types are loose enough to accept anything.
 */
const PROGRAM = `
import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

type Booking = components['schemas']['BookingResponse'];
type Refusal = components['schemas']['ErrorResponse'];

const env = process.env;
const api = createClient<paths>({
  baseUrl: env.BASE_URL,
  headers: { Authorization: \`Bearer \${env.TOKEN}\` },
});

function refused(what: string, status: number, error: Refusal | undefined): never {
  throw new Error(\`\${what}: \${status} \${error?.code ?? ''} \${error?.message ?? ''}\`);
}

async function main(): Promise<void> {
  const created = await api.POST('/api/bookings', {
    body: { equipment: env.DEVICE!, start: env.START!, end: env.END! },
  });
  if (!created.data) return refused('booking', created.response.status, created.error);
  const booking: Booking = created.data;
  const code: string = booking.code;
  // @ts-expect-error a booking has no such field
  void booking.price;

  const listed = await api.GET('/api/bookings', { params: { query: { status: 'confirmed' } } });
  if (!listed.data) return refused('listing', listed.response.status, undefined);
  const mine = listed.data.map((b) => ({ id: b.id, start: b.start, status: b.status }));
  // @ts-expect-error status is one of the lifecycle's states
  const nonsense: Booking['status'] = 'maybe';
  void nonsense;

  const cancelled = await api.POST('/api/bookings/{id}/cancel', {
    params: { path: { id: booking.id } },
  });
  if (!cancelled.data) return refused('cancelling', cancelled.response.status, cancelled.error);
  const again = await api.POST('/api/bookings/{id}/cancel', {
    params: { path: { id: booking.id } },
  });
  const refusal: Refusal | undefined = again.error;

  console.log(
    JSON.stringify({
      booked: { id: booking.id, code, equipment: booking.equipment },
      listed: mine,
      cancelled: cancelled.data.status,
      cancelledAgain: { status: again.response.status, code: refusal?.code ?? null },
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: ['es2022', 'dom'],
    types: [],
    // The generated file is api.ts, so it is checked; only the library's own .d.ts are skipped.
    skipLibCheck: true,
    noEmitOnError: true,
    outDir: 'out',
  },
  files: ['api.ts', 'program.ts'],
};

describe('OpenAPI document and a client generated from it', () => {
  let t: TestApp;
  let baseUrl: string;
  let document: Document;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    document = (await (await fetch(`${baseUrl}/api/docs-json`)).json()) as Document;
  });
  afterAll(() => t.close());

  it('gives every successful JSON answer a schema that names its fields', () => {
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (!status.startsWith('2') || status === '204') continue;
          const where = `${method.toUpperCase()} ${path} ${status}`;
          if (!response.content) {
            problems.push(`${where}: no content`);
            continue;
          }
          const json = response.content['application/json'];
          if (json)
            problems.push(
              ...shapeless(document, json.schema, 'body', new Set()).map((at) => `${where}: ${at}`),
            );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('describes every error answer as the one error shape', () => {
    const error = document.components.schemas.ErrorResponse;
    expect(Object.keys(error.properties ?? {}).sort()).toEqual([
      'code',
      'conflicts',
      'error',
      'message',
      'statusCode',
    ]);
    // `/health` answers its own `{status, db, message}` with its 503, for load balancers.
    const own = new Set(['GET /health 503']);
    const loose: string[] = [];
    for (const [path, operations] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(operations))
        for (const [status, response] of Object.entries(operation.responses))
          if (
            Number(status) >= 400 &&
            response.content?.['application/json']?.schema?.$ref !==
              '#/components/schemas/ErrorResponse'
          )
            loose.push(`${method.toUpperCase()} ${path} ${status}`);
    expect(loose.filter((answer) => !own.has(answer))).toEqual([]);
    expect(document.paths['/api/bookings'].post.responses).toHaveProperty('409');
  });

  it('generates a typed client that books, lists and cancels against the running service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dml-openapi-client-'));
    try {
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
      writeFileSync(join(dir, 'program.ts'), PROGRAM);
      await run(
        process.execPath,
        [BIN('openapi-typescript/bin/cli.js'), 'openapi.json', '--output', 'api.ts'],
        { cwd: dir },
      );
      // Type-checks the generated types and the program together, and emits the program only if
      // both are sound.
      await run(process.execPath, [BIN('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
        cwd: dir,
      }).catch((error: { stdout?: string }) => {
        throw new Error(`The client program does not type-check:\n${error.stdout}`);
      });

      const device = await newDevice(t);
      const patron = await newPatron(t);
      const { stdout } = await run(process.execPath, [join(dir, 'out', 'program.js')], {
        cwd: dir,
        env: {
          ...process.env,
          BASE_URL: baseUrl,
          TOKEN: patron.token,
          DEVICE: device,
          START: local('2026-12-02T15:00'),
          END: local('2026-12-02T16:00'),
        },
      });
      const result = JSON.parse(stdout) as {
        booked: { id: string; code: string; equipment: string };
        listed: { id: string; start: string; status: string }[];
        cancelled: string;
        cancelledAgain: { status: number; code: string | null };
      };
      expect(result.booked.equipment).toBe(device);
      expect(result.booked.code).toMatch(/^[A-Z0-9]{6}$/);
      expect(result.listed).toEqual([
        { id: result.booked.id, start: '2026-12-02T15:00:00-05:00', status: 'confirmed' },
      ]);
      expect(result.cancelled).toBe('cancelled');
      expect(result.cancelledAgain.status).toBeGreaterThanOrEqual(400);
      expect(result.cancelledAgain.status).toBeLessThan(500);

      const stored = await t.http
        .get(`/api/bookings/${result.booked.id}`)
        .set(bearer(patron.token))
        .expect(200);
      expect(stored.body.status).toBe('cancelled');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
