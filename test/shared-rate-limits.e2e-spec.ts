import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { SharedRateLimits } from '../src/common/shared-rate-limits';
import { loadAppConfig } from '../src/config/app-config';
import { freePort } from './built-app';
import { createTestApp, TestApp } from './create-test-app';
import { uniqueCardNumber } from './factories';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CI = process.env.CI === 'true' || process.env.CI === '1';

/** Whether Redis answers PING at REDIS_URL; asked in a child so `describe` can decide at once. */
function redisAnswers(): boolean {
  const { hostname, port } = new URL(REDIS_URL);
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const s = require('net').createConnection(${Number(port || 6379)}, ${JSON.stringify(hostname)});
       s.setTimeout(2000, () => process.exit(1));
       s.on('error', () => process.exit(1));
       s.on('connect', () => s.write('PING\\r\\n'));
       s.on('data', (d) => process.exit(String(d).startsWith('+PONG') ? 0 : 1));`,
    ],
    { timeout: 5_000 },
  );
  return probe.status === 0;
}

/** Skipped with a notice where no Redis runs; under CI, where one must, a failure instead. */
function describeWithRedis(name: string, body: () => void): void {
  if (redisAnswers()) return describe(name, body);
  if (CI)
    return describe(name, () => {
      it('finds Redis', () => {
        throw new Error(`No Redis answers at ${REDIS_URL} (set TEST_REDIS_URL).`);
      });
    });
  console.warn(`Skipping "${name}": no Redis answers at ${REDIS_URL} (set TEST_REDIS_URL).`);
  return describe.skip(name, body);
}

/** Keys of this run only: Redis is shared with other test runs and other files. */
const prefix = () => `dml-test-${randomBytes(6).toString('hex')}:`;

/** A TCP relay to Redis that the test can cut, as a network failure or a stopped Redis would. */
async function relayToRedis(): Promise<{ url: string; cut: () => Promise<void> }> {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(REDIS_URL);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

describeWithRedis('Rate limits shared through Redis', () => {
  // The smallest limit the settings allow, counted per address and route.
  const LIMIT = 300;

  describe('two instances with the same REDIS_URL', () => {
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      a = await createTestApp({
        env: {
          REDIS_URL,
          REDIS_KEY_PREFIX: prefix(),
          AUTH_RATE_PER_15_MINUTES: String(LIMIT),
        },
      });
      b = await a.secondInstance();
    });
    afterAll(() => a.close());

    const resetRequest = (instance: TestApp) =>
      instance.http.post('/api/auth/pin-reset').send({ cardNumber: uniqueCardNumber() });

    it('hold the per-address limit between them: half through each, then both refuse', async () => {
      const statuses: number[] = [];
      // Twenty at a time, alternating instances; each answer takes its minimum of 250 ms.
      for (let sent = 0; sent < LIMIT; sent += 20) {
        const batch = Array.from({ length: 20 }, (_, i) => resetRequest(i % 2 ? b : a));
        statuses.push(...(await Promise.all(batch)).map((response) => response.status));
      }
      expect(statuses.filter((status) => status !== 202)).toEqual([]);
      expect(statuses).toHaveLength(LIMIT);

      // Either instance alone has counted only half the limit; together they are at it.
      const fromA = await resetRequest(a).expect(429);
      expect(fromA.body).toMatchObject({
        statusCode: 429,
        message: expect.stringMatching(/Too many requests from this address/),
      });
      await resetRequest(b).expect(429);
      // Other routes keep their own count.
      await a.http.get('/api/equipment').expect(200);
    });
  });

  describe('when Redis stops answering after the start', () => {
    let t: TestApp;
    let relay: Awaited<ReturnType<typeof relayToRedis>>;

    beforeAll(async () => {
      relay = await relayToRedis();
      t = await createTestApp({ env: { REDIS_URL: relay.url, REDIS_KEY_PREFIX: prefix() } });
    });
    afterAll(async () => {
      await t.close();
      await relay.cut();
    });

    it('lets requests through (fail open) instead of answering 500', async () => {
      await t.http.get('/api/equipment').expect(200);
      await relay.cut();
      await t.http.get('/api/equipment').expect(200);
      await t.http.post('/api/auth/pin-reset').send({ cardNumber: uniqueCardNumber() }).expect(202);
    });
  });

  it('refuses to start when Redis cannot be reached, naming REDIS_URL', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const config = loadAppConfig({ ...process.env, REDIS_URL: url });
    await expect(SharedRateLimits.connect(config)).rejects.toThrow(
      /^REDIS_URL: Redis at 127\.0\.0\.1:\d+ cannot be reached \(.*ECONNREFUSED.*\)/,
    );
  });
});
