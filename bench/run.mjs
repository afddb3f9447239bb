// `npm run bench`: how fast the production build answers with a small and a large booking
// history. Per history size: start the server on a fresh database (it migrates and seeds), stop
// it, load the history straight into the database, start it again (the cold start), then drive
// it with autocannon from this process. Prints a table and writes bench-results.json.
//
//   npm run bench -- --db postgres --bookings 1000,500000 --duration 10 --connections 20
//
// Last it prints each target of issue 13 with met or MISSED, judged on the worst run.
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { countOverlaps, createScratchDatabase, LIVE, openDatabase } from './database.mjs';
import { generate } from './generate.mjs';
import { memoryOf, sampleRss, startServer } from './server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Which way each target points, for the printout. */
const TARGET_SENSE = {
  availabilityToHealth: '≥ ',
  freeSearchToHealth: '≥ ',
  bookingToHealth: '≥ ',
  bookingP99Ms: '≤ ',
  overlaps: '≤ ',
  p50LargeToSmall: '≤ ',
  peakRssMb: '≤ ',
  coldStartMs: '≤ ',
  signedInToAnonymousRps: '≥ ',
  signedInToAnonymousP99: '≤ ',
  afterBookingsToFreshRps: '≥ ',
};

const ZONE = 'America/New_York';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    bookings: { type: 'string', default: '1000,500000' },
    duration: { type: 'string', default: '10' },
    // The targets are set at 20 connections.
    connections: { type: 'string', default: '20' },
    'log-level': { type: 'string', default: 'warn' },
    'skip-build': { type: 'boolean', default: false },
    // A folder for V8 CPU profiles of the measured server (open them in Chrome DevTools).
    profile: { type: 'string' },
  },
});
const kind = args.db === 'postgres' || args.db === 'pg' ? 'postgres' : 'sqlite';
const sizes = args.bookings.split(',').map(Number);
const duration = Number(args.duration);
const connections = Number(args.connections);
const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

if (!args['skip-build']) {
  console.log('Building…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const runs = [];
for (const size of sizes) runs.push(await benchOneSize(size));
const results = summarise(runs);
printTable(results);
writeFileSync(join(root, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWrote bench-results.json`);

async function benchOneSize(size) {
  console.log(`\n=== ${kind}, ${size.toLocaleString('en')} bookings of history ===`);
  const dir = mkdtempSync(join(tmpdir(), 'dml-bench-'));
  const scratch = await createScratchDatabase(kind, dir, adminUrl);
  const logFile = openSync(join(dir, 'server.log'), 'a');
  const env = {
    DATABASE_URL: scratch.url,
    DATA_DIR: dir,
    NODE_ENV: 'production',
    DEMO_USERS: 'false',
    LOG_LEVEL: args['log-level'],
    LIBRARY_TIMEZONE: ZONE,
    // One client address drives the whole load: lift the per-address limits, keep the throttler.
    API_RATE_PER_MINUTE: '10000000',
    AUTH_RATE_PER_15_MINUTES: '10000000',
  };
  try {
    const first = await startServer({ root, env, logFile });
    await first.stop();

    const db = await openDatabase(scratch.url, { bulk: true });
    const loadStarted = performance.now();
    const { hashSecret } = await import(join(root, 'dist', 'accounts', 'secrets.js'));
    const data = await generate(db, {
      bookings: size,
      slots: Math.max(5000, duration * 1000),
      now: Date.now(),
      zone: ZONE,
      pinHash: await hashSecret('1234'),
    });
    if (kind === 'postgres') await db.run('ANALYZE');
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    console.log(
      `Loaded ${data.historyCount.toLocaleString('en')} bookings and ${data.bookers} signed-in patrons in ${loadSeconds.toFixed(1)} s`,
    );
    const plans = await queryPlans(db, data);
    for (const [name, lines] of Object.entries(plans)) {
      console.log(`\n${name}:\n  ${lines.join('\n  ')}`);
    }
    await db.close();

    const nodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
    const server = await startServer({ root, env, logFile, nodeArgs });
    const idleRssMb = round(memoryOf(server.pid).rssMb);
    console.log(
      `\nCold start to first /health 200: ${server.coldStartMs} ms; RSS then ${idleRssMb} MB`,
    );
    // The machine may be shared: say how busy it was while this size was measured.
    const loadBefore = loadavg()[0];
    const scenarios = {};
    try {
      await load(server, [{ path: '/health' }], 2); // warm-up, not counted
      scenarios.health = await measure(server, 'GET /health', [{ path: '/health' }]);
      scenarios.availability = await measure(
        server,
        'GET /api/equipment/:slug/availability',
        rotate(dayAvailabilityPaths(data)),
      );
      scenarios.signedInAvailability = await measure(
        server,
        'GET …/availability, signed in',
        rotate(dayAvailabilityPaths(data), data.slots[0].token),
      );
      scenarios.freeSearch = await measure(
        server,
        'GET /api/availability',
        rotate(freeSearchPaths(data)),
      );
      scenarios.booking = await measure(server, 'POST /api/bookings', bookingRequests(data.slots));
      // The same reads again in the same process, after its bookings: nothing should have grown.
      scenarios.availabilityAfter = await measure(
        server,
        'GET …/availability, after the bookings',
        rotate(dayAvailabilityPaths(data)),
      );
    } finally {
      scenarios.peakRssMb = round(memoryOf(server.pid).hwmMb);
      scenarios.loadAverage = { before: round(loadBefore, 2), after: round(loadavg()[0], 2) };
      await server.stop();
    }

    const check = await openDatabase(scratch.url);
    const overlaps = await countOverlaps(check);
    const [{ n: booked }] = await check.all(
      'SELECT COUNT(*) AS n FROM bookings WHERE LENGTH(code) = 6',
    );
    await check.close();
    console.log(`Overlapping live bookings after the booking run: ${overlaps}`);
    console.log(`Bookings written by the run: ${booked} (201 answers: ${scenarios.booking.ok})`);
    return {
      bookings: size,
      loadSeconds: round(loadSeconds),
      firstStartMs: first.coldStartMs,
      coldStartMs: server.coldStartMs,
      idleRssMb,
      overlaps,
      bookingsWritten: Number(booked),
      ...scenarios,
      plans,
    };
  } catch (error) {
    console.error(
      `Server log (tail):\n${readFileSync(join(dir, 'server.log'), 'utf8').slice(-4000)}`,
    );
    throw error;
  } finally {
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one scenario for `duration` seconds, watching the server's memory meanwhile. */
async function measure(server, name, requests) {
  const peak = sampleRss(server.pid);
  const result = await load(server, requests, duration);
  const row = {
    name,
    rps: round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]),
    ),
    peakRssMb: round(peak()),
  };
  console.log(
    `${name.padEnd(40)} ${String(row.rps).padStart(8)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  RSS ${row.peakRssMb} MB  ${JSON.stringify(row.statuses)}`,
  );
  return row;
}

/** Runs the requests; the first answer that is not a 2xx is printed, to say why. */
async function load(server, requests, seconds) {
  let firstRefusal = null;
  const watched = requests.map((r) => ({
    ...r,
    onResponse: (status, body) => {
      if (status >= 300 && firstRefusal === null) firstRefusal = `${status} ${body}`.slice(0, 300);
    },
  }));
  const result = await autocannon({
    url: server.url,
    connections,
    duration: seconds,
    requests: watched,
  });
  if (firstRefusal) console.log(`  first answer other than 2xx: ${firstRefusal}`);
  return result;
}

/** One request template that takes the next path of a list on every call, signed in if given. */
function rotate(paths, token) {
  let next = 0;
  const headers = token ? { authorization: `Bearer ${token}` } : undefined;
  return [
    {
      method: 'GET',
      setupRequest: (req) => ({
        ...req,
        path: paths[next++ % paths.length],
        ...(headers ? { headers: { ...req.headers, ...headers } } : {}),
      }),
    },
  ];
}

function dayAvailabilityPaths({ stations, upcomingDays }) {
  return upcomingDays.flatMap(({ date }) =>
    stations.map((slug) => `/api/equipment/${slug}/availability?date=${date}`),
  );
}

/** Every whole hour the lab is open in the coming days, as a one-hour "what's free" search. */
function freeSearchPaths({ upcomingDays }) {
  const paths = [];
  for (const { open } of upcomingDays) {
    for (const { start, end } of open) {
      for (let at = start; at + 3_600_000 <= end; at += 3_600_000) {
        const from = new Date(at).toISOString();
        const to = new Date(at + 3_600_000).toISOString();
        paths.push(`/api/availability?start=${from}&end=${to}`);
      }
    }
  }
  return paths;
}

/** Each request books the next free slot as its own patron; past the prepared ones it repeats. */
function bookingRequests(slots) {
  let next = 0;
  return [
    {
      method: 'POST',
      path: '/api/bookings',
      setupRequest: (req) => {
        const slot = slots[next++ % slots.length];
        return {
          ...req,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${slot.token}` },
          body: JSON.stringify({ equipment: slot.equipment, start: slot.start, end: slot.end }),
        };
      },
    },
  ];
}

/**
 * The plans of the queries behind availability and the booking overlap check, as the service
 * sends them (TypeORM's SQL, with the bench's values), so the indexes they use are visible.
 */
async function queryPlans(db, data) {
  const [device] = await db.all('SELECT id FROM equipment WHERE slug = ?', [data.stations[0]]);
  const day = data.upcomingDays.find((d) => d.open.length > 0).open[0];
  const at = (ms) => (db.kind === 'sqlite' ? ms : new Date(ms).toISOString());
  const window = [at(day.start - 86_400_000), at(day.end + 86_400_000)];
  const plans = {
    'availability (bookings of a device around a day)': await db.explain(
      `SELECT b.id, b.equipment_id, b.start_at, b.blocked_until FROM bookings b
       WHERE b.equipment_id IN (?) AND b.status IN (?, ?) AND b.start_at < ? AND b.blocked_until > ?`,
      [device.id, ...LIVE, window[1], window[0]],
    ),
    'booking overlap check (clash query)': await db.explain(
      `SELECT b.id, b.start_at FROM bookings b WHERE b.equipment_id = ? AND b.status IN (?, ?)
       AND b.start_at < ? AND b.blocked_until > ?`,
      [device.id, ...LIVE, at(day.end), at(day.start)],
    ),
  };
  const [patron] = await db.all(
    'SELECT patron_id AS id FROM bookings WHERE equipment_id = ? LIMIT 1',
    [device.id],
  );
  plans['booking quota (patron’s bookings of the device this week)'] = await db.explain(
    `SELECT b.id, b.start_at, b.end_at FROM bookings b WHERE b.patron_id = ? AND b.equipment_id = ?
     AND b.status IN (?, ?, ?) AND b.start_at < ? AND b.end_at > ?`,
    [patron.id, device.id, ...LIVE, 'completed', at(day.end + 7 * 86_400_000), at(day.start)],
  );
  if (db.kind === 'sqlite') {
    // The trigger that backs the check on SQLite runs this for every live row written.
    plans['booking overlap trigger (SQLite)'] = await db.explain(
      `SELECT 1 FROM bookings b WHERE b.equipment_id = ? AND b.id <> ?
       AND b.status IN ('confirmed', 'checked_in') AND b.start_at < ? AND ? < b.blocked_until`,
      [device.id, 'x', at(day.end), at(day.start)],
    );
  }
  return plans;
}

function summarise(runs) {
  const small = runs[0];
  const large = runs[runs.length - 1];
  const ratio = (a, b) => (b ? round(a / b, 3) : null);
  const scenarioNames = ['health', 'availability', 'freeSearch', 'booking'];
  const p50LargeToSmall =
    runs.length > 1
      ? Object.fromEntries(scenarioNames.map((s) => [s, ratio(large[s].p50, small[s].p50)]))
      : null;
  const worst = (pick, direction) =>
    runs.map(pick).reduce((a, b) => (direction === 'min' ? Math.min(a, b) : Math.max(a, b)));
  // Each target against the worst run: a miss is a finding, not a failure of the benchmark.
  const target = (value, limit, direction) => ({
    value,
    target: limit,
    met: value === null ? null : direction === 'min' ? value >= limit : value <= limit,
  });
  const toHealth = (key) => worst((r) => ratio(r[key].rps, r.health.rps), 'min');
  const scenarioPeakRss = (r) =>
    Math.max(r.peakRssMb, ...Object.values(r).map((s) => s?.peakRssMb ?? 0));
  return {
    engine: kind,
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    durationSeconds: duration,
    connections,
    runs: runs.map((run) => ({
      ...run,
      ratios: {
        availabilityToHealth: ratio(run.availability.rps, run.health.rps),
        freeSearchToHealth: ratio(run.freeSearch.rps, run.health.rps),
        bookingToHealth: ratio(run.booking.rps, run.health.rps),
      },
    })),
    p50LargeToSmall,
    // Issue 13's targets. "As fast" and "the same figures" are read as within a tenth for
    // requests per second and a quarter for p99, the spread of repeated runs on a quiet machine.
    targets: {
      availabilityToHealth: target(toHealth('availability'), 0.5, 'min'),
      freeSearchToHealth: target(toHealth('freeSearch'), 0.4, 'min'),
      bookingToHealth: target(toHealth('booking'), 0.25, 'min'),
      bookingP99Ms: target(
        worst((r) => r.booking.p99, 'max'),
        100,
        'max',
      ),
      overlaps: target(
        worst((r) => r.overlaps, 'max'),
        0,
        'max',
      ),
      p50LargeToSmall: target(
        p50LargeToSmall
          ? Math.max(...['availability', 'freeSearch', 'booking'].map((s) => p50LargeToSmall[s]))
          : null,
        1.25,
        'max',
      ),
      peakRssMb: target(worst(scenarioPeakRss, 'max'), 200, 'max'),
      coldStartMs: target(
        worst((r) => r.coldStartMs, 'max'),
        1000,
        'max',
      ),
      signedInToAnonymousRps: target(
        worst((r) => ratio(r.signedInAvailability.rps, r.availability.rps), 'min'),
        0.9,
        'min',
      ),
      signedInToAnonymousP99: target(
        worst((r) => ratio(r.signedInAvailability.p99, r.availability.p99), 'max'),
        1.25,
        'max',
      ),
      // The issue asks for this after 10,000 bookings in one process; the bench compares after as
      // many as its booking scenario makes (printed per run as bookings written).
      afterBookingsToFreshRps: target(
        worst((r) => ratio(r.availabilityAfter.rps, r.availability.rps), 'min'),
        0.9,
        'min',
      ),
    },
  };
}

function printTable(results) {
  console.log(
    `\n${results.engine}, Node ${results.node}, ${results.cpus} CPUs, ${connections} connections, ${duration} s per scenario`,
  );
  const header = ['history', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'vs /health'];
  const rows = [header];
  for (const run of results.runs) {
    for (const key of [
      'health',
      'availability',
      'signedInAvailability',
      'freeSearch',
      'booking',
      'availabilityAfter',
    ]) {
      const s = run[key];
      rows.push([
        run.bookings.toLocaleString('en'),
        s.name,
        String(s.rps),
        String(s.p50),
        String(s.p99),
        String(s.peakRssMb),
        key === 'health' ? '' : String(round(s.rps / run.health.rps, 2)),
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
  for (const run of results.runs) {
    console.log(
      `${run.bookings.toLocaleString('en')}: cold start ${run.coldStartMs} ms (first start, migrating and seeding: ${run.firstStartMs} ms); RSS ${run.idleRssMb} MB after start, peak ${run.peakRssMb} MB; overlapping live bookings ${run.overlaps}; bookings written ${run.bookingsWritten}; load average ${run.loadAverage.before} → ${run.loadAverage.after}`,
    );
  }
  for (const [name, t] of Object.entries(results.targets)) {
    const verdict = t.met === null ? 'n/a' : t.met ? 'met' : 'MISSED';
    const sense = TARGET_SENSE[name] ?? '';
    console.log(`target ${name}: ${t.value} (target ${sense}${t.target}) ${verdict}`);
  }
  if (results.p50LargeToSmall)
    console.log(`p50 largest ÷ smallest history: ${JSON.stringify(results.p50LargeToSmall)}`);
}

function round(value, digits = 1) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
