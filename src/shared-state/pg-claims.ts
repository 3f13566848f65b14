import type pg from 'pg';
import type { Claims } from './claims.js';
import { openPgTables } from './postgres.js';

/**
 * Claims in PostgreSQL (DATABASE_URL): every replica and every restart sees the same rows, and
 * `ON CONFLICT DO NOTHING` makes two replicas' simultaneous claims one. The table is created on first
 * use under an advisory lock, as PgChannelSettings does; a failed attempt is retried by the next call.
 */
export class PgClaims implements Claims {
  private readonly pool: pg.Pool;
  private readonly s: string;
  /** Creates the schema and table once; a failed attempt is retried by the next call. */
  private readonly ready: () => Promise<void>;

  constructor(url: string, opts: { schema?: string } = {}) {
    ({ pool: this.pool, s: this.s, ready: this.ready } = openPgTables(url, { ...opts, max: 2 }, 'claims', (s) => `
      CREATE TABLE IF NOT EXISTS ${s}.claims (key TEXT PRIMARY KEY, at TEXT NOT NULL);`));
  }

  async claim(key: string): Promise<boolean> {
    await this.ready();
    const { rowCount } = await this.pool.query(`INSERT INTO ${this.s}.claims VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, new Date().toISOString()]);
    return rowCount === 1;
  }

  async release(key: string): Promise<void> {
    await this.ready();
    await this.pool.query(`DELETE FROM ${this.s}.claims WHERE key = $1`, [key]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
