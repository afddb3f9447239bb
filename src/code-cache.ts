/**
 * What the bundle's loader (`server-loader.ts`) tells the server it started about how its code
 * was compiled, and how to keep V8's compiled code for the next start.
 */

/** Where the loader leaves its `LoadedCode` for the server (a global: they are two scripts). */
export const LOADED_CODE = Symbol.for('dml.server.loadedCode');

export interface LoadedCode {
  /**
   * Whether the code was compiled from the cache; if not, there was none for this build, Node,
   * CPU and flags, its checksum failed, or V8 refused it.
   */
  fromCache: boolean;
  /** The cache's file. */
  file: string;
  /** Writes the cache, once, from the code compiled so far; returns the error's code, if any. */
  keep(): string | null;
}

/** The loader's account of this start, when the server was started from the bundle. */
export function loadedCode(): LoadedCode | undefined {
  return (globalThis as Record<symbol, LoadedCode | undefined>)[LOADED_CODE];
}

/**
 * Once the server listens: says how its code was compiled and, when it was compiled afresh,
 * keeps the cache for the next start (the functions compiled while starting are in it by now).
 */
export function keepCompiledCode(log: {
  log(message: string): void;
  warn(message: string): void;
}): void {
  const code = loadedCode();
  if (!code) return;
  if (code.fromCache) {
    log.log(`Compiled from the code cache ${code.file}`);
    return;
  }
  const failed = code.keep();
  if (failed)
    log.warn(
      `Could not write the code cache ${code.file} (${failed}); the next start compiles afresh`,
    );
  else log.log(`Wrote the code cache ${code.file} for the next start`);
}
