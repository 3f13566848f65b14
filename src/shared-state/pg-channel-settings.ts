import type pg from 'pg';
import type { ChannelSettings } from './channel-settings.js';
import { openPgTables } from './postgres.js';

/**
 * The channel switches in PostgreSQL (DATABASE_URL), so an admin's `/cairn-channel` on one replica
 * holds on every replica and after a restart. The table is created on first use under an advisory
 * lock, as PgFeedbackStore does; a failed attempt is retried by the next call.
 */
export class PgChannelSettings implements ChannelSettings {
  private readonly pool: pg.Pool;
  private readonly s: string;
  /** Creates the schema and table once; a failed attempt is retried by the next call. */
  private readonly ready: () => Promise<void>;

  constructor(url: string, opts: { schema?: string } = {}) {
    ({ pool: this.pool, s: this.s, ready: this.ready } = openPgTables(url, { ...opts, max: 2 }, 'channel-settings', (s) => `
      CREATE TABLE IF NOT EXISTS ${s}.channel_settings (
        channel TEXT PRIMARY KEY, auto_answer BOOLEAN NOT NULL, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL);`));
  }

  async autoAnswer(channel: string): Promise<boolean | undefined> {
    await this.ready();
    const { rows } = await this.pool.query<{ auto_answer: boolean }>(`SELECT auto_answer FROM ${this.s}.channel_settings WHERE channel = $1`, [channel]);
    return rows[0]?.auto_answer;
  }

  async setAutoAnswer(channel: string, on: boolean, by: string): Promise<void> {
    await this.ready();
    await this.pool.query(
      `INSERT INTO ${this.s}.channel_settings VALUES ($1,$2,$3,$4)
       ON CONFLICT (channel) DO UPDATE SET auto_answer = excluded.auto_answer, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [channel, on, by, new Date().toISOString()],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
