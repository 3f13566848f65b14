import type pg from 'pg';
import type { Claims } from './claims.js';
import { createPgPool, quoteSchema, withAdvisoryLock } from './postgres.js';

/**
 * Claims in PostgreSQL (DATABASE_URL): every replica and every restart sees the same rows, and
 * `ON CONFLICT DO NOTHING` makes two replicas' simultaneous claims one. The table is created on first
 * use under an advisory lock, as PgChannelSettings does; a failed attempt is retried by the next call.
 */
export class PgClaims implements Claims {
  private readonly pool: pg.Pool;
  private readonly s: string;
  private setupDone: Promise<void> | null = null;

  constructor(url: string, opts: { schema?: string } = {}) {
    this.pool = createPgPool(url, { max: 2 });
    this.s = quoteSchema(opts.schema ?? 'cairn');
  }

  private ready(): Promise<void> {
    this.setupDone ??= withAdvisoryLock(this.pool, `cairn-claims:${this.s}`, async () => {
      await this.pool.query(`
        CREATE SCHEMA IF NOT EXISTS ${this.s};
        CREATE TABLE IF NOT EXISTS ${this.s}.claims (key TEXT PRIMARY KEY, at TEXT NOT NULL);`);
    }).catch((err: unknown) => {
      this.setupDone = null;
      throw err;
    });
    return this.setupDone;
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
