// Starts the production build as its own process and watches its memory.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A port the OS says is free right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The command of `npm start` (package.json's "start" script), split into Node's own flags and the
 * script, so that the bench runs the server exactly as it is started in production. The script
 * must read `node [flags…] <file>`; anything else stops the bench rather than guess.
 */
export function startCommand(root) {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const words = scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.length < 2 || words.at(-1).startsWith('-'))
    throw new Error(`The bench runs "node [flags] <file>"; npm start is "${scripts.start}".`);
  return { nodeFlags: words.slice(1, -1), script: words.at(-1) };
}

/**
 * The server as `npm start` runs it, with the given settings (and `nodeArgs` added to Node's
 * flags); resolves once `/health` answers 200, with the milliseconds from spawn to that answer
 * (the cold start).
 */
export async function startServer({ root, env, logFile, nodeArgs = [] }) {
  const { nodeFlags, script } = startCommand(root);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, ...nodeArgs, join(root, script)], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), PUBLIC_URL: url },
    stdio: ['ignore', logFile ?? 'ignore', logFile ?? 'ignore'],
  });
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  for (;;) {
    const early = await Promise.race([exited, sleep(15).then(() => null)]);
    if (early) throw new Error(`The server stopped before answering (${JSON.stringify(early)}).`);
    const healthy = await fetch(`${url}/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (healthy) break;
    if (performance.now() - started > 120_000)
      throw new Error('The server did not answer in 2 minutes.');
  }
  return {
    url,
    pid: child.pid,
    coldStartMs: Math.round(performance.now() - started),
    exited,
    /** SIGTERM and wait: Nest closes the database cleanly. */
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The process's resident memory now and its peak so far, in MB, from /proc (Linux). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: 0, hwmMb: 0 };
  }
}

/** CPU time (user and system) a process has used so far, in ms, from `/proc/<pid>/stat`. */
export function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** CPU time used so far by every PostgreSQL process on this machine, in ms. */
export function postgresCpuMs() {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        total += cpuMsOf(entry);
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/** Linux counts CPU time in ticks of 1/100 s on every common configuration. */
const CLOCK_TICKS = 100;

/** Samples the RSS every 100 ms until stopped; returns the highest it saw. */
export function sampleRss(pid) {
  let peak = memoryOf(pid).rssMb;
  const timer = setInterval(() => {
    peak = Math.max(peak, memoryOf(pid).rssMb);
  }, 100);
  return () => {
    clearInterval(timer);
    return Math.max(peak, memoryOf(pid).rssMb);
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
