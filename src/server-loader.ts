// What `npm start` runs (dist/server/main.js): starts the SQLite file's damage scan, then loads
// the bundled server (dist/server/server.js) with V8's code cache, so that a start after the
// first one skips parsing and compiling it.
//
// Node 22 keeps such a cache itself (`module.enableCompileCache`); Node 20 does not. The cache
// is V8's own (`vm.Script`'s `cachedData`), written once the server listens (`keepCompiledCode`).
// V8 checks that the cache was made by the same V8 with the same flags, but of the source it
// checks only the length: the cache's name therefore carries the bundle's digest, written in by
// the build (scripts/bundle.mjs), and its contents a checksum (CRC-32, which zlib computes in
// 2 ms where SHA-256 took 18), so that a cache of another build or a damaged file is never
// run; either is compiled afresh and written again.
import {
  accessSync,
  constants as fsConstants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { constants, Script } from 'node:vm';
import { crc32 } from 'node:zlib';
import { LOADED_CODE, type LoadedCode } from './code-cache';
import { sqliteFileOf } from './config/sqlite-file';
import { checkSqliteFile, startSqliteScan } from './database/sqlite-file-check';

// A large SQLite file's damage scan takes longer than anything else in a start (it reads every
// page): it starts here, in a worker thread, before the server's code is loaded, and the server
// waits for it before opening the file (see `startSqliteScan`). Anything found wrong is left to
// the server's own checks (start-checks.ts), which look again and name it.
const sqliteFile = sqliteFileOf(process.env);
if (sqliteFile && existsSync(sqliteFile)) {
  try {
    checkSqliteFile(sqliteFile, { scan: false });
    startSqliteScan(sqliteFile);
  } catch {
    // Named by the server's checks.
  }
}

/** The bundle's SHA-256, written in by scripts/bundle.mjs. */
const SERVER_DIGEST = 'SERVER_BUNDLE_DIGEST';

/** The cache file starts with the CRC-32 of the code that follows: a damaged file is not run. */
const CHECKSUM_BYTES = 4;

const server = join(__dirname, 'server.js');
// The build keeps the bundle ASCII, so reading it as Latin-1 gives the same string, faster.
const source = readFileSync(server, 'latin1');
// Outside dist/, which every build empties (`npm start` builds first): a build of the same
// sources makes the same bundle, whose cache is then still good.
const folder =
  process.env.CODE_CACHE_DIR || join(__dirname, '..', '..', 'node_modules', '.cache', 'dml-server');
// V8 refuses a cache made under other flags (the heap's sizes among them): one cache per set.
const flags = crc32(`${process.execArgv.join(' ')}\n${process.env.NODE_OPTIONS ?? ''}`)
  .toString(16)
  .padStart(8, '0');
const build = `server-${SERVER_DIGEST.slice(0, 16)}-`;
const name = `${build}${process.version}-${process.arch}-${flags}.cache`;
const file = join(folder, name);
const cachedData = readCache(file);

const script = new Script(
  `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
  {
    filename: server,
    cachedData,
    // The bundle's `import()`s (of packages that are not installed) resolve as in any module.
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  },
);
let kept = false;
const loaded: LoadedCode = {
  fromCache: cachedData !== undefined && !script.cachedDataRejected,
  file,
  keep() {
    if (kept) return null;
    kept = true;
    // Made only where it can be kept: making it takes a tenth of a second.
    return writableFolder() ?? writeCache(file, script.createCachedData());
  },
};
(globalThis as Record<symbol, LoadedCode>)[LOADED_CODE] = loaded;

const run = script.runInThisContext() as (...args: unknown[]) => void;
const serverExports = {};
run.call(
  serverExports,
  serverExports,
  createRequire(server),
  { exports: serverExports },
  server,
  __dirname,
);

/** The cache's code when its checksum holds; nothing when it is missing or damaged. */
function readCache(path: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return undefined;
  }
  if (data.length <= CHECKSUM_BYTES) return undefined;
  const code = data.subarray(CHECKSUM_BYTES);
  return data.readUInt32BE(0) === crc32(code) ? code : undefined;
}

/** Null when the cache's folder is there, or made, and can be written to; else the error's code. */
function writableFolder(): string | null {
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, fsConstants.W_OK);
    return null;
  } catch (error) {
    return codeOf(error);
  }
}

/**
 * Writes the cache whole or not at all (a new file renamed over the old), and removes the caches
 * of other builds; returns the error's code when it could not write.
 */
function writeCache(path: string, code: Buffer): string | null {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const checksum = Buffer.alloc(CHECKSUM_BYTES);
    checksum.writeUInt32BE(crc32(code));
    writeFileSync(temporary, Buffer.concat([checksum, code]));
    renameSync(temporary, path);
  } catch (error) {
    removeQuietly(temporary);
    return codeOf(error);
  }
  try {
    for (const other of readdirSync(folder)) {
      if (!other.startsWith(build) && /^server-[0-9a-f]{16}-.*\.cache$/.test(other))
        removeQuietly(join(folder, other));
    }
  } catch {
    // The old caches stay; they are never read for this build.
  }
  return null;
}

function codeOf(error: unknown): string {
  return (error as { code?: string }).code ?? String(error);
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Left for the next write to replace; a start never fails over its cache.
  }
}
