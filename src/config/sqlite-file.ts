/** DATABASE_URL when it is not set: a SQLite file in data/. */
export const DEFAULT_DATABASE_URL = 'sqlite:data/dml.sqlite';

/**
 * The SQLite file that DATABASE_URL names (`sqlite:<file>`), or null when it names another kind of
 * database or no file (`loadAppConfig` says what is wrong). A module of its own, apart from the
 * rest of the settings, so that the server's loader can start the file's checks before the
 * server's code is loaded (server-loader.ts).
 */
export function sqliteFileOf(env: Record<string, string | undefined>): string | null {
  const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!url.startsWith('sqlite:')) return null;
  return url.slice('sqlite:'.length) || null;
}
