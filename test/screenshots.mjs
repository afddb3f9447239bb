// Pictures of the pages people spend their day on, at a desktop's and a phone's width, so anyone
// can look without running the lab: the day grid, the desk and the manual editor.
//
//   npm run screenshots            writes screenshots/*.png
//   SCREENSHOTS_DIR=/tmp/shots npm run screenshots
//
// It builds and starts the service on a fresh embedded database with the seeded catalog, manuals
// and demo accounts, signs in as they would, and uses Debian's chromium (CHROMIUM_PATH to point
// elsewhere), like the browser tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const PORT = Number(process.env.SCREENSHOTS_PORT ?? 3917);
const BASE = `http://127.0.0.1:${PORT}`;
const OUT = resolve(process.env.SCREENSHOTS_DIR ?? 'screenshots');
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];
const BROWSERS = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

const browserPath = BROWSERS.find((p) => p && existsSync(p));
if (!browserPath) {
  console.error("No Chromium found. Install Debian's chromium or set CHROMIUM_PATH.");
  process.exit(1);
}
if (!existsSync('dist/server/main.js')) {
  console.error('Build the service first: npm run build');
  process.exit(1);
}

const data = mkdtempSync(join(tmpdir(), 'dml-screenshots-'));
const server = spawn(process.execPath, ['dist/server/main.js'], {
  env: {
    ...process.env,
    PORT: String(PORT),
    DATA_DIR: data,
    DATABASE_URL: `sqlite:${join(data, 'dml.sqlite')}`,
    PUBLIC_URL: BASE,
    DEMO_USERS: 'true',
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});

async function ready() {
  for (let i = 0; i < 120; i += 1) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('The service did not start within 30 seconds.');
}

async function signIn(page, email, password) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in as staff' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function firstManualSlug(page) {
  const manuals = await (await page.request.get(`${BASE}/api/manuals`)).json();
  return manuals[0].slug;
}

let browser;
try {
  await ready();
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: browserPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  for (const size of WIDTHS) {
    const context = await browser.newContext({
      viewport: { width: size.width, height: size.height },
    });
    const page = await context.newPage();
    await signIn(page, 'librarian@example.org', 'librarian-demo');
    const slug = await firstManualSlug(page);
    const shots = [
      ['schedule', '/schedule'],
      ['desk', '/desk'],
      ['editor', `/admin/manuals/${slug}/edit`],
    ];
    for (const [name, path] of shots) {
      await page.goto(`${BASE}${path}`);
      const file = join(OUT, `${name}-${size.name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`${file}`);
    }
    await context.close();
  }
} finally {
  await browser?.close();
  server.kill();
  rmSync(data, { recursive: true, force: true });
}
