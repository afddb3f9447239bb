import { AppConfig, loadAppConfig } from './config/app-config';
import { checkSqliteFile, startSqliteScan } from './database/sqlite-file-check';

/**
 * The checks made before Nest starts, so that a bad setting or a damaged, foreign or read-only
 * SQLite file stops the server with one clear line. `main.ts` imports this module before the
 * modules that take most of the start-up time. The scan of a large file for damage (it reads
 * every page) runs in a worker thread, started by the server's loader before the code loads
 * (server-loader.ts) or else here, while the modules load and Nest builds the app: the database
 * is opened once it is done (`openDataSource` waits for it), and `main` stops the start at once
 * when it finds damage. Settles with the settings, or with the first error (awaited by `main`,
 * which names it).
 */
export const startChecks = new Promise<AppConfig>((settle) => {
  const settings = loadAppConfig(process.env);
  if (settings.databaseKind === 'sqlite') {
    checkSqliteFile(settings.sqlitePath, { scan: false });
    startSqliteScan(settings.sqlitePath);
  }
  settle(settings);
});
// Awaited by main once the modules have loaded; until then a refusal is not an unhandled one.
startChecks.catch(() => undefined);
