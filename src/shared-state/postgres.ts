import pg from 'pg';
import { CairnError } from '../core/errors.js';
import { untilDone } from '../core/until-done.js';

/**
 * A connection pool for DATABASE_URL. Connecting gives up after 2 s, so an unreachable server
 * fails an answer's memory lookup quickly instead of holding the answer.
 */
export function createPgPool(url: string, opts: { max?: number } = {}): pg.Pool {
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({ connectionString: url, max: opts.max ?? 5, connectionTimeoutMillis: 2000, idleTimeoutMillis: 30_000 });
  } catch (err) {
    throw new CairnError('CONFIG', `DATABASE_URL could not be used (${err instanceof Error ? err.message : String(err)}); expected e.g. postgres://cairn@127.0.0.1:5432/cairn`, { cause: err });
  }
  // An idle client that loses its server emits 'error' on the pool; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `fn` while holding a PostgreSQL advisory lock, so replicas starting at once create tables
 * one after another: `CREATE … IF NOT EXISTS` alone races (two creators, one unique violation).
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, name: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  } finally {
    client.release();
  }
}

/** What a PostgreSQL store keeps: its pool, its quoted schema, and `ready()`, which creates its tables. */
export interface PgTables {
  pool: pg.Pool;
  s: string;
  ready: () => Promise<void>;
}

/**
 * A store's pool and schema. `ready()` runs `ddl(schema)` (`CREATE … IF NOT EXISTS`, after the schema
 * itself) once, under an advisory lock named after the store; a failed attempt is forgotten, so the
 * next call retries it.
 */
export function openPgTables(url: string, opts: { schema?: string; max?: number }, name: string, ddl: (schema: string) => string): PgTables {
  const s = quoteSchema(opts.schema ?? 'cairn');
  const pool = createPgPool(url, opts.max === undefined ? {} : { max: opts.max });
  const ready = untilDone(() =>
    withAdvisoryLock(pool, `cairn-${name}:${s}`, async () => {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${s};\n${ddl(s)}`);
    }),
  );
  return { pool, s, ready };
}

/** A schema name safe to interpolate (identifiers cannot be bound as parameters). */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new CairnError('CONFIG', `invalid PostgreSQL schema name "${schema}": expected lower-case letters, digits and "_"`);
  return `"${schema}"`;
}
