// The benchmark's own connection to the service's database, for what it does behind the
// service's back: create and drop the scratch database, bulk-load history, show query plans and
// count overlapping bookings. One small interface over SQLite (better-sqlite3) and Postgres (pg).
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';

export const LIVE = ['pending', 'confirmed', 'checked_in'];

/** A fresh, empty database for one run: a file in `dir`, or a new database on the server. */
export async function createScratchDatabase(kind, dir, adminUrl) {
  if (kind === 'sqlite') return { url: `sqlite:${dir}/dml.sqlite`, drop: async () => {} };
  const name = `dml_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(adminUrl, sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `bulk`: the service is stopped and the database is scratch, so SQLite may skip its journal. */
export async function openDatabase(url, { bulk = false } = {}) {
  return url.startsWith('sqlite:')
    ? openSqlite(url.slice('sqlite:'.length), bulk)
    : openPostgres(url);
}

function openSqlite(file, bulk) {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (bulk) {
    // No journal and a large page cache (the random-uuid indexes stay in memory); WAL is back on
    // when this connection closes, and the service sets it again whenever it opens the file.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
  }
  return {
    kind: 'sqlite',
    all: async (sql, params = []) => db.prepare(sql).all(...params),
    run: async (sql, params = []) => void db.prepare(sql).run(...params),
    /** Every row in one transaction through one prepared statement. */
    insertMany: async (table, columns, rows) => {
      const insert = db.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      db.transaction(() => {
        for (const row of rows) insert.run(...row);
      })();
    },
    explain: async (sql, params) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params)
        .map((row) => row.detail),
    close: async () => {
      if (bulk) db.pragma('journal_mode = WAL');
      db.close();
    },
  };
}

async function openPostgres(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const types = new Map();
  return {
    kind: 'postgres',
    all: async (sql, params = []) => (await client.query(toDollars(sql), params)).rows,
    run: async (sql, params = []) => void (await client.query(toDollars(sql), params)),
    /**
     * Batches of rows as arrays through unnest(): one round trip per 5,000 rows, all in one
     * transaction. Instants come as epoch milliseconds, as SQLite keeps them.
     */
    insertMany: async (table, columns, rows) => {
      if (!types.has(table)) types.set(table, await columnTypes(client, table));
      const typeOf = columns.map((c) => types.get(table).get(c));
      const unnest = typeOf.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
      const sql = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) SELECT * FROM unnest(${unnest})`;
      const send = (batch) =>
        client.query(
          sql,
          typeOf.map((type, i) =>
            batch.map((row) =>
              type === 'timestamptz' && typeof row[i] === 'number'
                ? new Date(row[i]).toISOString()
                : row[i],
            ),
          ),
        );
      await client.query('BEGIN');
      try {
        let batch = [];
        for (const row of rows) {
          batch.push(row);
          if (batch.length === 5000) {
            await send(batch);
            batch = [];
          }
        }
        if (batch.length) await send(batch);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    explain: async (sql, params) =>
      (await client.query(`EXPLAIN ${inline(toDollars(sql), params)}`)).rows.map(
        (row) => row['QUERY PLAN'],
      ),
    close: () => client.end(),
  };
}

async function columnTypes(client, table) {
  const { rows } = await client.query(
    `SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = $1`,
    [table],
  );
  return new Map(rows.map((r) => [r.column_name, r.udt_name]));
}

/** `?` placeholders, as SQLite writes them, to Postgres's `$n`. */
function toDollars(sql) {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** EXPLAIN cannot take bind parameters; the values here are the benchmark's own. */
function inline(sql, params) {
  return sql.replace(/\$(\d+)/g, (_, i) => {
    const value = params[Number(i) - 1];
    return typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
  });
}

/**
 * Live bookings whose blocked time starts before an earlier live booking of the same device has
 * ended: zero when the no-overlap guarantee holds. One pass over an index, not a self-join.
 */
export async function countOverlaps(db) {
  const [row] = await db.all(
    `SELECT COUNT(*) AS n FROM (
       SELECT start_at, MAX(blocked_until) OVER (
         PARTITION BY equipment_id ORDER BY start_at, id
         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_end
       FROM bookings WHERE status IN (?, ?, ?)) AS live
     WHERE start_at < earlier_end`,
    LIVE,
  );
  return Number(row.n);
}
