// `npm run bench`: how fast the production build answers with a small and a large booking
// history. Per history size: start the server on a fresh database (it migrates and seeds), stop
// it, load the history straight into the database, start it again (the cold start), then drive
// it with autocannon from this process. Prints a table and writes bench-results.json.
// `--instances 2` (PostgreSQL only) starts two servers on the one database, each with its own
// DATA_DIR, and drives both at once, the connections and the requests split between them.
//
//   npm run bench -- --db postgres --bookings 1000,500000 --duration 10 --connections 20
//   npm run bench -- --db postgres --instances 1,2
//
// Last it prints each target of issue 13 with met or MISSED, judged on the worst run.
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { countOverlaps, createScratchDatabase, LIVE, openDatabase } from './database.mjs';
import { generate } from './generate.mjs';
import { cpuMsOf, memoryOf, postgresCpuMs, sampleRss, startServer } from './server.mjs';

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
  raceSlotsNotBookedOnce: '≤ ',
};

/** The race: this many slots, each asked for by this many patrons at once, spread over the instances. */
const RACE_SLOTS = 5;
const RACERS_PER_SLOT = 16;

const ZONE = 'America/New_York';

/**
 * How many client addresses the requests come from. From one address, the throttler's list of
 * that address's recent hits (every request of the last minute, the limits being lifted) would
 * grow to tens of thousands and be scanned on every request: a cost no real address, held to
 * its limit, ever causes.
 */
const CLIENT_ADDRESSES = 1000;
let nextClient = 0;

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    bookings: { type: 'string', default: '1000,500000' },
    duration: { type: 'string', default: '10' },
    // The issue's targets are set at 20 connections.
    connections: { type: 'string', default: '20' },
    // How many servers share the database, e.g. 2 or 1,2 (each count a run of its own per size).
    instances: { type: 'string', default: '1' },
    'log-level': { type: 'string', default: 'warn' },
    'skip-build': { type: 'boolean', default: false },
    // A folder for V8 CPU profiles of the measured server (open them in Chrome DevTools).
    profile: { type: 'string' },
    // A folder for V8 heap snapshots of the measured server: after the warm-up, after the booking
    // run and at the end (compare them in Chrome DevTools to see what grew).
    'heap-snapshots': { type: 'string' },
  },
});
const kind = args.db === 'postgres' || args.db === 'pg' ? 'postgres' : 'sqlite';
const sizes = args.bookings.split(',').map(Number);
const duration = Number(args.duration);
/**
 * Each scenario first runs this long with the same requests, not counted: the first requests of a
 * kind compile and optimise their code, fill what the server holds and, on PostgreSQL, prepare
 * their statements on each pooled connection, which a server that has been up a while has done.
 */
const WARM_UP_SECONDS = 2;
const connections = Number(args.connections);
const instanceCounts = args.instances.split(',').map(Number);
if (!instanceCounts.every((n) => Number.isInteger(n) && n >= 1 && n <= connections)) {
  console.error(`--instances takes whole numbers from 1 to the connections, as in 1,2.`);
  process.exit(2);
}
if (kind === 'sqlite' && instanceCounts.some((n) => n > 1)) {
  console.error(
    'Several instances share one PostgreSQL database; a SQLite file belongs to one server. ' +
      'Add --db postgres to bench two instances.',
  );
  process.exit(2);
}
const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

if (!args['skip-build']) {
  console.log('Building…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const runs = [];
for (const size of sizes) {
  for (const instances of instanceCounts) runs.push(await benchOneSize(size, instances));
}
const results = summarise(runs);
printTable(results);
writeFileSync(join(root, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWrote bench-results.json`);

async function benchOneSize(size, instances) {
  const label = instances > 1 ? `, ${instances} instances` : '';
  console.log(`\n=== ${kind}, ${size.toLocaleString('en')} bookings of history${label} ===`);
  const dir = mkdtempSync(join(tmpdir(), 'dml-bench-'));
  const scratch = await createScratchDatabase(kind, dir, adminUrl);
  const logPath = (i) => join(dir, instances > 1 ? `server-${i + 1}.log` : 'server.log');
  const env = {
    DATABASE_URL: scratch.url,
    DATA_DIR: dir,
    NODE_ENV: 'production',
    DEMO_USERS: 'false',
    LOG_LEVEL: args['log-level'],
    LIBRARY_TIMEZONE: ZONE,
    // The load comes from one machine, but a library's patrons come from many addresses: each
    // request names one of CLIENT_ADDRESSES in X-Forwarded-For, which the server trusts from
    // the loopback (as behind a load balancer). The limits are lifted so that none is refused.
    TRUST_PROXY: 'loopback',
    API_RATE_PER_MINUTE: '10000000',
    AUTH_RATE_PER_15_MINUTES: '10000000',
  };
  const servers = [];
  try {
    const first = await startServer({ root, env, logFile: openSync(logPath(0), 'a') });
    await first.stop();

    const db = await openDatabase(scratch.url, { bulk: true });
    const loadStarted = performance.now();
    const { hashSecret } = await import(join(root, 'dist', 'accounts', 'secrets.js'));
    const data = await generate(db, {
      bookings: size,
      slots: Math.max(5000, (WARM_UP_SECONDS + duration) * 1000),
      race: { slots: RACE_SLOTS, racers: RACE_SLOTS * RACERS_PER_SLOT },
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

    const nodeArgs = [
      ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : []),
      ...(args['heap-snapshots']
        ? ['--heapsnapshot-signal=SIGWINCH', `--diagnostic-dir=${args['heap-snapshots']}`]
        : []),
    ];
    // One after the other, so each cold start is the same measurement as with one instance; each
    // instance keeps its own DATA_DIR, as on separate machines.
    const startInstances = async () => {
      const started = [];
      for (let i = 0; i < instances; i++) {
        const dataDir = instances > 1 ? join(dir, `instance-${i + 1}`) : dir;
        mkdirSync(dataDir, { recursive: true });
        const logFile = openSync(logPath(i), 'a');
        started.push(
          await startServer({ root, env: { ...env, DATA_DIR: dataDir }, logFile, nodeArgs }),
        );
      }
      return started;
    };
    servers.push(...(await startInstances()));
    const coldStartsMs = servers.map((s) => s.coldStartMs);
    const idleRssMbs = servers.map((s) => round(memoryOf(s.pid).rssMb));
    console.log(
      `\nCold start to first /health 200: ${coldStartsMs.join(', ')} ms; RSS then ${idleRssMbs.join(', ')} MB`,
    );
    // The machine may be shared: say how busy it was while this size was measured.
    const loadBefore = loadavg()[0];
    const scenarios = {};
    let race;
    try {
      await heapSnapshots(servers);
      scenarios.health = await measure(servers, 'GET /health', () => [{ path: '/health' }]);
      scenarios.availability = await measure(
        servers,
        'GET /api/equipment/:slug/availability',
        (share) => rotate(share(dayAvailabilityPaths(data))),
      );
      scenarios.signedInAvailability = await measure(
        servers,
        'GET …/availability, signed in',
        (share) => rotate(share(dayAvailabilityPaths(data)), data.slots[0].token),
      );
      scenarios.freeSearch = await measure(servers, 'GET /api/availability', (share) =>
        rotate(share(freeSearchPaths(data))),
      );
      // Each instance books its own share of the slots: no slot is asked for twice.
      scenarios.booking = await measure(servers, 'POST /api/bookings', (share) =>
        bookingRequests(share(data.slots)),
      );
      scenarios.mail = await mailAfterBookings(scratch.url);
      await heapSnapshots(servers);
      // The same reads again in the same process, after its bookings: nothing should have grown.
      scenarios.availabilityAfter = await measure(
        servers,
        'GET …/availability, after the bookings',
        (share) => rotate(share(dayAvailabilityPaths(data))),
      );
      race = await raceForSlots(servers, data.race);
      await heapSnapshots(servers);
    } finally {
      const peaks = servers.map((s) => round(memoryOf(s.pid).hwmMb));
      scenarios.peakRssMb = Math.max(...peaks);
      scenarios.peakRssMbByInstance = peaks;
      scenarios.loadAverage = { before: round(loadBefore, 2), after: round(loadavg()[0], 2) };
      await Promise.all(servers.map((s) => s.stop()));
    }

    // The issue's "no drift": the same reads after the bookings, in the same process, against a
    // fresh start on the same database. The booking run adds thousands of bookings to the very
    // days these reads look at, so the figures before it are of other data.
    const restarted = await startInstances();
    try {
      scenarios.availabilityRestarted = await measure(
        restarted,
        'GET …/availability, restarted after the bookings',
        (share) => rotate(share(dayAvailabilityPaths(data))),
      );
    } finally {
      await Promise.all(restarted.map((s) => s.stop()));
    }

    const check = await openDatabase(scratch.url);
    const overlaps = await countOverlaps(check);
    const [{ n: booked }] = await check.all(
      'SELECT COUNT(*) AS n FROM bookings WHERE LENGTH(code) = 6',
    );
    race.liveBySlot = await liveBookingsOf(check, data.race.slots);
    await check.close();
    race.slotsNotBookedOnce = race.liveBySlot.filter(
      (live, i) => live !== 1 || race.createdBySlot[i] !== 1,
    ).length;
    console.log(`Overlapping live bookings after the booking run: ${overlaps}`);
    console.log(
      `Booking notices when the booking run ended: ${scenarios.mail.sent} sent, ${scenarios.mail.waiting} waiting`,
    );
    console.log(
      `Bookings written by the run: ${booked} (201 answers: ${scenarios.booking.ok}, ${scenarios.booking.warmUpOk} in its warm-up, and ${RACE_SLOTS} from the race)`,
    );
    console.log(
      `Race: ${race.slots} slots, each asked for by ${race.racersPerSlot} patrons at once over ${instances} instance(s): ` +
        `201 answers per slot ${race.createdBySlot.join(', ')}; live bookings per slot ${race.liveBySlot.join(', ')}; ` +
        `answers ${JSON.stringify(race.statuses)}; ${race.slotsNotBookedOnce === 0 ? 'each slot booked exactly once' : `${race.slotsNotBookedOnce} slot(s) NOT booked exactly once`}`,
    );
    return {
      bookings: size,
      instances,
      loadSeconds: round(loadSeconds),
      firstStartMs: first.coldStartMs,
      coldStartMs: Math.max(...coldStartsMs),
      coldStartsMs,
      idleRssMb: Math.max(...idleRssMbs),
      idleRssMbs,
      overlaps,
      bookingsWritten: Number(booked),
      race,
      ...scenarios,
      plans,
    };
  } catch (error) {
    for (let i = 0; i < Math.max(1, servers.length); i++) {
      const tail = readFileSync(logPath(i), 'utf8').slice(-4000);
      console.error(`Server log${instances > 1 ? ` ${i + 1}` : ''} (tail):\n${tail}`);
    }
    throw error;
  } finally {
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How far the mail worker kept up with the booking run: the notices sent and those still waiting
 * the moment it ended (each booking queues one; the worker sends what is due every two seconds).
 */
async function mailAfterBookings(url) {
  const db = await openDatabase(url);
  try {
    const rows = await db.all(
      `SELECT status, COUNT(*) AS n FROM notifications WHERE status IN (?, ?) GROUP BY status`,
      ['sent', 'pending'],
    );
    const count = (status) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return { sent: count('sent'), waiting: count('pending') };
  } finally {
    await db.close();
  }
}

/**
 * Runs one scenario for `duration` seconds on every server at once, after its warm-up, watching
 * their memory meanwhile. `requestsFor(share)` builds one server's requests, `share(list)` being the part of a
 * list that is that server's (every n-th item), so no two servers ask for the same thing.
 * Requests per second are summed over the servers, latencies are the worse server's.
 */
async function measure(servers, name, requestsFor) {
  // The warm-up and the measurement share each server's requests, so that the booking run goes on
  // to slots the warm-up has not booked.
  const built = [];
  const sameRequests = (share, i) => (built[i] ??= requestsFor(share));
  const warmUp = await load(servers, sameRequests, WARM_UP_SECONDS);
  const peaks = servers.map((s) => sampleRss(s.pid));
  const cpuBefore = { servers: sumOf(servers.map((s) => cpuMsOf(s.pid))), db: databaseCpuMs() };
  const results = await load(servers, sameRequests, duration);
  const cpuUsed = {
    servers: sumOf(servers.map((s) => cpuMsOf(s.pid))) - cpuBefore.servers,
    db: databaseCpuMs() - cpuBefore.db,
  };
  const each = results.map((result, i) => ({
    rps: round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    peakRssMb: round(peaks[i]()),
  }));
  const statuses = {};
  for (const result of results) {
    for (const [code, s] of Object.entries(result.statusCodeStats))
      statuses[code] = (statuses[code] ?? 0) + s.count;
  }
  const sum = (pick) => results.reduce((total, r) => total + pick(r), 0);
  const row = {
    name,
    rps: round(sum((r) => r.requests.average)),
    p50: Math.max(...each.map((e) => e.p50)),
    p99: Math.max(...each.map((e) => e.p99)),
    ok: sum((r) => r['2xx']),
    warmUpOk: warmUp.reduce((total, r) => total + r['2xx'], 0),
    other: sum((r) => r.non2xx + r.errors + r.timeouts),
    statuses,
    peakRssMb: Math.max(...each.map((e) => e.peakRssMb)),
    // CPU time per answer, steadier than req/s on a shared machine: the servers', and
    // PostgreSQL's (SQLite works inside the server).
    serverCpuMs: round(
      cpuUsed.servers /
        Math.max(
          1,
          sum((r) => r.requests.total),
        ),
      2,
    ),
    ...(kind === 'postgres'
      ? {
          databaseCpuMs: round(
            cpuUsed.db /
              Math.max(
                1,
                sum((r) => r.requests.total),
              ),
            2,
          ),
        }
      : {}),
    ...(servers.length > 1 ? { byInstance: each } : {}),
  };
  const rssText = each.map((e) => e.peakRssMb).join(' + ');
  console.log(
    `${name.padEnd(40)} ${String(row.rps).padStart(8)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  RSS ${rssText} MB  CPU/answer ${row.serverCpuMs} ms${row.databaseCpuMs === undefined ? '' : ` + PostgreSQL ${row.databaseCpuMs} ms`}  ${JSON.stringify(row.statuses)}`,
  );
  return row;
}

/**
 * Drives every server at once (`requestsFor(share, i)` builds the i-th server's requests), the
 * connections split between them; the first answer that is not a 2xx is printed, to say why. One
 * autocannon result per server.
 */
async function load(servers, requestsFor, seconds) {
  let firstRefusal = null;
  const results = await Promise.all(
    servers.map(async (server, i) => {
      const share = (list) => list.filter((_, k) => k % servers.length === i);
      const watched = requestsFor(share, i).map((r) => ({
        ...r,
        onResponse: (status, body) => {
          if (status >= 300 && firstRefusal === null)
            firstRefusal = `${status} ${body}`.slice(0, 300);
        },
      }));
      return autocannon({
        url: server.url,
        connections:
          Math.floor(connections / servers.length) + (i < connections % servers.length ? 1 : 0),
        duration: seconds,
        requests: watched,
      });
    }),
  );
  if (firstRefusal) console.log(`  first answer other than 2xx: ${firstRefusal}`);
  return results;
}

/**
 * With `--heap-snapshots`, has every server write a heap snapshot; the server writes it before it
 * answers anything else, so the next `/health` answer says it is done. The signal is SIGWINCH
 * because Nest's shutdown hooks close the app on SIGUSR2.
 */
async function heapSnapshots(servers) {
  if (!args['heap-snapshots']) return;
  for (const server of servers) {
    process.kill(server.pid, 'SIGWINCH');
    await fetch(`${server.url}/health`).then((r) => r.arrayBuffer());
  }
}

/**
 * Many signed-in patrons ask for the same few slots at the same moment, each patron once, the
 * requests for every slot spread over all the servers; the database must let each slot be
 * booked exactly once.
 */
async function raceForSlots(servers, { slots, tokens }) {
  const attempts = tokens.map((token, i) => ({
    token,
    slotIndex: i % slots.length,
    server: servers[Math.floor(i / slots.length) % servers.length],
  }));
  const answers = await Promise.all(
    attempts.map(async ({ token, slotIndex, server }) => {
      const { equipment, start, end } = slots[slotIndex];
      const response = await fetch(`${server.url}/api/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ equipment, start, end }),
      });
      await response.arrayBuffer();
      return { slotIndex, status: response.status };
    }),
  );
  const statuses = {};
  for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  return {
    slots: slots.length,
    racersPerSlot: Math.ceil(tokens.length / slots.length),
    statuses,
    createdBySlot: slots.map(
      (_, i) => answers.filter((a) => a.slotIndex === i && a.status === 201).length,
    ),
  };
}

/** Live bookings of each slot's device that start at its start, read from the database. */
async function liveBookingsOf(db, slots) {
  const at = (iso) => (db.kind === 'sqlite' ? Date.parse(iso) : iso);
  const counts = [];
  for (const { equipment, start } of slots) {
    const [{ n }] = await db.all(
      `SELECT COUNT(*) AS n FROM bookings b JOIN equipment e ON e.id = b.equipment_id
       WHERE e.slug = ? AND b.status IN (?, ?, ?) AND b.start_at = ?`,
      [equipment, ...LIVE, at(start)],
    );
    counts.push(Number(n));
  }
  return counts;
}

/** The next patron's address, for X-Forwarded-For. */
function clientAddress() {
  const n = nextClient++ % CLIENT_ADDRESSES;
  return `10.20.${n >> 8}.${n & 255}`;
}

/** One request template that takes the next path of a list on every call, signed in if given. */
function rotate(paths, token) {
  let next = 0;
  const auth = token ? { authorization: `Bearer ${token}` } : {};
  return [
    {
      method: 'GET',
      setupRequest: (req) => ({
        ...req,
        path: paths[next++ % paths.length],
        headers: { ...req.headers, ...auth, 'x-forwarded-for': clientAddress() },
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
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${slot.token}`,
            'x-forwarded-for': clientAddress(),
          },
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
  // What blocks a time is asked in arms on SQLite (see `blockingArms` in the bookings
  // repository): the live bookings starting within it, and the last of each live status starting
  // before it. PostgreSQL is asked the one range question.
  const plans =
    db.kind === 'sqlite'
      ? {
          'what blocks a time (live bookings starting within it)': await db.explain(
            `SELECT b.id, b.equipment_id, b.start_at, b.blocked_until FROM bookings b
             WHERE b.equipment_id IN (?) AND b.status IN (?, ?, ?) AND b.start_at >= ? AND b.start_at < ?`,
            [device.id, ...LIVE, window[0], window[1]],
          ),
          'what blocks a time (the last confirmed booking before it)': await db.explain(
            `SELECT l.id FROM bookings l WHERE l.equipment_id = ? AND l.status = 'confirmed'
             AND l.start_at < ? ORDER BY l.start_at DESC LIMIT 1`,
            [device.id, window[0]],
          ),
        }
      : {
          'what blocks a time (live bookings reaching into it)': await db.explain(
            `SELECT b.id, b.equipment_id, b.start_at, b.blocked_until FROM bookings b
             WHERE b.equipment_id IN (?) AND b.status IN (?, ?, ?) AND b.start_at < ?
               AND b.blocked_until > ?`,
            [device.id, ...LIVE, window[1], window[0]],
          ),
        };
  const [patron] = await db.all(
    'SELECT patron_id AS id FROM bookings WHERE equipment_id = ? LIMIT 1',
    [device.id],
  );
  plans['booking quota (patron’s bookings of the device this week)'] = await db.explain(
    `SELECT b.id, b.start_at, b.end_at FROM bookings b WHERE b.patron_id = ? AND b.equipment_id = ?
     AND b.status IN (?, ?, ?, ?) AND b.start_at < ? AND b.end_at > ?`,
    [patron.id, device.id, ...LIVE, 'completed', at(day.end + 7 * 86_400_000), at(day.start)],
  );
  plans['a patron’s bookings their limits count (booking, signed-in availability)'] =
    await db.explain(
      `SELECT b.id FROM bookings b WHERE b.patron_id = ? AND b.end_at > ?
       AND ((b.status IN (?, ?, ?) AND b.end_at > ?)
         OR (b.status IN (?, ?, ?, ?) AND b.start_at < ? AND b.end_at > ?))`,
      [
        patron.id,
        at(day.start),
        ...LIVE,
        at(day.start),
        ...LIVE,
        'completed',
        at(day.end + 7 * 86_400_000),
        at(day.start),
      ],
    );
  if (db.kind === 'sqlite') {
    // The trigger that backs the check on SQLite asks the same two questions of every live row
    // written; the second for each live status.
    plans['booking overlap trigger (SQLite), starting within'] = await db.explain(
      `SELECT 1 FROM bookings b WHERE b.equipment_id = ? AND b.id <> ?
       AND b.status IN (?, ?, ?) AND b.start_at >= ? AND b.start_at < ?`,
      [device.id, 'x', ...LIVE, at(day.start), at(day.end)],
    );
  }
  return plans;
}

function summarise(runs) {
  const ratio = (a, b) => (b ? round(a / b, 3) : null);
  const scenarioNames = ['health', 'availability', 'freeSearch', 'booking'];
  // Smallest against largest history with the same number of instances; the worse of them.
  const pairs = instanceCounts
    .map((n) => runs.filter((r) => r.instances === n))
    .filter((group) => group.length > 1)
    .map((group) => [group[0], group[group.length - 1]]);
  const p50LargeToSmall = pairs.length
    ? Object.fromEntries(
        scenarioNames.map((s) => [
          s,
          Math.max(...pairs.map(([small, large]) => ratio(large[s].p50, small[s].p50))),
        ]),
      )
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
    instances: instanceCounts,
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
      // The issue asks for this after 10,000 bookings in one process, against a fresh start; the
      // bench compares after as many as its booking scenario makes (printed per run as bookings
      // written) with a restart on the same database.
      afterBookingsToFreshRps: target(
        worst((r) => ratio(r.availabilityAfter.rps, r.availabilityRestarted.rps), 'min'),
        0.9,
        'min',
      ),
      // Every raced slot booked exactly once: one 201 and one live booking in the database.
      raceSlotsNotBookedOnce: target(
        worst((r) => r.race.slotsNotBookedOnce, 'max'),
        0,
        'max',
      ),
    },
  };
}

function printTable(results) {
  console.log(
    `\n${results.engine}, Node ${results.node}, ${results.cpus} CPUs, ${connections} connections, ${duration} s per scenario, instances ${results.instances.join(' and ')}`,
  );
  const header = [
    'history',
    'inst',
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'peak RSS MB',
    'vs /health',
    'CPU ms/answer',
  ];
  const rows = [header];
  for (const run of results.runs) {
    for (const key of [
      'health',
      'availability',
      'signedInAvailability',
      'freeSearch',
      'booking',
      'availabilityAfter',
      'availabilityRestarted',
    ]) {
      const s = run[key];
      rows.push([
        run.bookings.toLocaleString('en'),
        String(run.instances),
        s.name,
        String(s.rps),
        String(s.p50),
        String(s.p99),
        (s.byInstance ?? [s]).map((e) => e.peakRssMb).join(' + '),
        key === 'health' ? '' : String(round(s.rps / run.health.rps, 2)),
        s.databaseCpuMs === undefined
          ? String(s.serverCpuMs)
          : `${s.serverCpuMs} + ${s.databaseCpuMs} PostgreSQL`,
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
  for (const run of results.runs) {
    console.log(
      `${run.bookings.toLocaleString('en')}, ${run.instances} instance(s): cold start ${run.coldStartsMs.join(', ')} ms (first start, migrating and seeding: ${run.firstStartMs} ms); RSS ${run.idleRssMbs.join(', ')} MB after start, peak ${run.peakRssMbByInstance.join(', ')} MB; overlapping live bookings ${run.overlaps}; bookings written ${run.bookingsWritten}; race slots not booked exactly once ${run.race.slotsNotBookedOnce}; booking notices sent by the end of the booking run ${run.mail.sent}, waiting ${run.mail.waiting}; load average ${run.loadAverage.before} → ${run.loadAverage.after}`,
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

/** PostgreSQL's CPU time so far (it runs on this machine); SQLite's is the server's own. */
function databaseCpuMs() {
  return kind === 'postgres' ? postgresCpuMs() : 0;
}

function sumOf(values) {
  return values.reduce((total, value) => total + value, 0);
}

function round(value, digits = 1) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
