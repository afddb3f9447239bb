import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { Client } from 'pg';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/bootstrap';
import { Clock } from '../src/common/clock';
import { AppConfig } from '../src/config/app-config';
import { OutboxService, type DeliveryReport } from '../src/notifications/outbox.service';
import { LOGGING_PARAMS, loggerParams } from '../src/common/logging';
import { TestClock } from './test-clock';

export const ON_POSTGRES = (process.env.DATABASE_URL ?? '').startsWith('postgres');

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  clock: TestClock;
  databaseUrl: string;
  /** Runs the mail worker once, as its two-second tick would: delivers every message due now. */
  deliverMail(): Promise<DeliveryReport>;
  /** Delivers what is due, then every e-mail in the outbox folder so far, parsed. */
  mailbox(): Promise<ParsedMail[]>;
  /**
   * Another app instance on the same database, as behind a load balancer; `env` adds to the
   * test's own settings (another `DATA_DIR`, say).
   */
  secondInstance(env?: Record<string, string>): Promise<TestApp>;
  /** Stops every instance and starts one again on the same database and data folder. */
  restart(): Promise<TestApp>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  now?: string;
  env?: Record<string, string>;
  /** Where the request log goes (with `LOG_LEVEL` set in `env`); nowhere by default. */
  logTo?: DestinationStream;
}

/** A fresh, empty database: a temporary SQLite file, or a new Postgres database. */
export async function freshDatabase(
  dir: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!ON_POSTGRES)
    return { url: `sqlite:${join(dir, 'dml.sqlite')}`, drop: () => Promise.resolve() };
  const admin = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL!;
  const name = `dml_test_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new Client({ connectionString: admin });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

async function boot(
  databaseUrl: string,
  dataDir: string,
  clock: TestClock,
  env: Record<string, string>,
  logTo?: DestinationStream,
): Promise<INestApplication> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    LOG_LEVEL: 'silent',
    DEMO_USERS: 'true',
    // Sessions outlast the days a test's clock travels; sweeps run when a test calls them.
    SESSION_HOURS: '720',
    SCHEDULED_JOBS: 'false',
    DATA_DIR: dataDir,
    ...env,
    DATABASE_URL: databaseUrl,
  });
  try {
    let builder = Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(Clock)
      .useValue(clock);
    if (logTo)
      builder = builder.overrideProvider(LOGGING_PARAMS).useFactory({
        factory: (config: AppConfig) => loggerParams(config, logTo),
        inject: [AppConfig],
      });
    const moduleRef = await builder.compile();
    const app = moduleRef.createNestApplication({ bufferLogs: true });
    configureApp(app);
    await app.init();
    return app;
  } finally {
    process.env = saved;
  }
}

/** The production app module on a fresh database, with a clock the test controls. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // Each app gets its own folder for the SQLite file and the e-mail outbox.
  const dataDir = mkdtempSync(join(tmpdir(), 'dml-test-'));
  const database = await freshDatabase(dataDir);
  const clock = new TestClock(new Date(options.now ?? '2026-12-01T15:00:00Z'));
  const env = options.env ?? {};
  const instances: INestApplication[] = [];
  const wrap = async (extra: Record<string, string> = {}): Promise<TestApp> => {
    const app = await boot(database.url, dataDir, clock, { ...env, ...extra }, options.logTo);
    instances.push(app);
    return {
      app,
      http: request(app.getHttpServer()),
      clock,
      databaseUrl: database.url,
      deliverMail: () => app.get(OutboxService).deliverDue(clock.now()),
      mailbox: async () => {
        await app.get(OutboxService).deliverDue(clock.now());
        const dir = join(app.get(AppConfig).dataDir, 'outbox');
        const files = existsSync(dir) ? readdirSync(dir).sort() : [];
        return Promise.all(files.map((f) => simpleParser(readFileSync(join(dir, f)))));
      },
      secondInstance: wrap,
      restart: async () => {
        for (const instance of instances.splice(0)) await instance.close();
        return wrap(extra);
      },
      close: async () => {
        for (const instance of instances.splice(0)) await instance.close();
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  };
  return wrap();
}
