// `npm test`: lint, the unit and e2e suites on SQLite, then the e2e suite again on PostgreSQL
// when a server answers (TEST_POSTGRES_URL, default the local one). Under CI=true a missing
// PostgreSQL fails the run instead of being skipped.
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ci = process.env.CI === 'true' || process.env.CI === '1';

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function postgresAnswers() {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    console.warn(`PostgreSQL at ${postgresUrl} did not answer: ${error.message}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const extra = process.argv.slice(2);

/**
 * The HTTP fuzz checks that the event loop never stalls for a second while it runs. It runs on
 * its own, after the rest, so what it measures is the service under the fuzz, not a browser suite
 * that Jest happened to start beside it on the same two cores.
 */
const ALONE = 'test/http-fuzz.e2e-spec.ts';
const together = extra.length
  ? extra
  : ['--testPathIgnorePatterns', '/node_modules/', ALONE.replace(/[.]/g, '\\.')];

function suites(env, projects) {
  run('npx', ['jest', ...projects, ...together], env);
  if (!extra.length) run('npx', ['jest', ALONE, '--selectProjects', 'e2e'], env);
}

run('npx', ['eslint', 'src', 'test', '--max-warnings', '0']);
run('npx', ['prettier', '--check', 'src', 'test', 'bench']);
suites({ DATABASE_URL: '' }, []);
if (await postgresAnswers()) {
  console.log(`\nRunning the e2e suite again on PostgreSQL (${postgresUrl}).`);
  suites({ DATABASE_URL: postgresUrl }, ['--selectProjects', 'e2e']);
} else if (ci) {
  console.error('CI=true: the PostgreSQL suite must run, and no server answered.');
  process.exit(1);
} else {
  console.warn(
    'Skipped the PostgreSQL suite: no server answered. Set TEST_POSTGRES_URL to run it.',
  );
}
