// `npm run test:pg`: the e2e suite on PostgreSQL only.
import { spawnSync } from 'node:child_process';

const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const result = spawnSync('npx', ['jest', '--selectProjects', 'e2e', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: postgresUrl },
});
process.exit(result.status ?? 1);
