import type Database from 'better-sqlite3';
import type { Redis } from 'ioredis';
import { openDataFile } from '../core/sqlite-file.js';

/**
 * Work done once per key, whichever replica gets there first and however often it restarts: the
 * weekly coverage-gaps summary claims `gaps-summary:<platform>:<channel>:<slot>` before it posts.
 * A claim is kept, never expiring before its slot is long past; only its holder releases it, when
 * the work failed, so a later try may claim it again.
 */
export interface Claims {
  /** True for the first claim of `key`; false for every later one, on any replica, after a restart. */
  claim(key: string): Promise<boolean>;
  /** Frees a claim whose work could not be done. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

/** One process, lost on restart: the tests' default. */
export class MemoryClaims implements Claims {
  private readonly held = new Set<string>();

  async claim(key: string): Promise<boolean> {
    if (this.held.has(key)) return false;
    this.held.add(key);
    return true;
  }

  async release(key: string): Promise<void> {
    this.held.delete(key);
  }

  async close(): Promise<void> {}
}

/** In `<dataDir>/claims.sqlite`, beside feedback.sqlite: one process, across its restarts. */
export class SqliteClaims implements Claims {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    this.db = openDataFile(dataDir, 'claims.sqlite', `CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, at TEXT NOT NULL)`);
  }

  async claim(key: string): Promise<boolean> {
    return this.db.prepare(`INSERT INTO claims VALUES (?, ?) ON CONFLICT (key) DO NOTHING`).run(key, new Date().toISOString()).changes === 1;
  }

  async release(key: string): Promise<void> {
    this.db.prepare(`DELETE FROM claims WHERE key = ?`).run(key);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * Replicas that share Redis but no PostgreSQL: `SET NX` with a TTL well past any slot (90 days by
 * default). A failing Redis rejects: a claim never falls back to this process, which would let two
 * replicas both do the work.
 */
export class RedisClaims implements Claims {
  private readonly ttlMs: number;

  constructor(private readonly redis: Redis, opts: { ttlMs?: number } = {}) {
    this.ttlMs = opts.ttlMs ?? 90 * 86_400_000;
  }

  async claim(key: string): Promise<boolean> {
    return (await this.redis.set(`claim:${key}`, new Date().toISOString(), 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  async release(key: string): Promise<void> {
    await this.redis.del(`claim:${key}`);
  }

  // The connection belongs to the shared state, which closes it.
  async close(): Promise<void> {}
}
