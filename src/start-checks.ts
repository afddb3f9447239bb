import { AppConfig, loadAppConfig } from './config/app-config';
import { checkSqliteFile, scanSqliteFileInBackground } from './database/sqlite-file-check';

/**
 * The checks made before Nest starts, so that a bad setting or a damaged, foreign or read-only
 * SQLite file stops the server with one clear line. `main.ts` imports this module before the
 * modules that take most of the start-up time, and the scan of the file for damage (it reads
 * every page) runs in a worker thread while they load. Settles once every check is done: with
 * the settings, or with the first error (awaited by `main`, which names it).
 */
export const startChecks: Promise<AppConfig> = (async () => {
  const settings = loadAppConfig(process.env);
  if (settings.databaseKind === 'sqlite') {
    checkSqliteFile(settings.sqlitePath, { scan: false });
    await scanSqliteFileInBackground(settings.sqlitePath);
  }
  return settings;
})();
// Awaited by main once the modules have loaded; until then a refusal is not an unhandled one.
startChecks.catch(() => undefined);
