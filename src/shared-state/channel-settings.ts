import type Database from 'better-sqlite3';
import { openDataFile } from '../core/sqlite-file.js';

/**
 * What an admin switched for a channel at run time (`/cairn-channel auto on|off`), kept across
 * restarts. Keys are platform-qualified (`slack:C123`, `discord:456`). A channel never switched has
 * no setting: its configuration decides.
 */
export interface ChannelSettings {
  /** The last switch for this channel, or undefined when no admin ever switched it. */
  autoAnswer(channel: string): Promise<boolean | undefined>;
  setAutoAnswer(channel: string, on: boolean, by: string): Promise<void>;
  close(): Promise<void>;
}

/** One process only (the tests' and a bare adapter's default): lost on restart. */
export class MemoryChannelSettings implements ChannelSettings {
  private readonly auto = new Map<string, boolean>();

  async autoAnswer(channel: string): Promise<boolean | undefined> {
    return this.auto.get(channel);
  }

  async setAutoAnswer(channel: string, on: boolean): Promise<void> {
    this.auto.set(channel, on);
  }

  async close(): Promise<void> {}
}

/** In `<dataDir>/channels.sqlite`, beside feedback.sqlite: one process. Replicas share PgChannelSettings. */
export class SqliteChannelSettings implements ChannelSettings {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    this.db = openDataFile(dataDir, 'channels.sqlite', `CREATE TABLE IF NOT EXISTS channel_settings (
      channel TEXT PRIMARY KEY, auto_answer INTEGER NOT NULL, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)`);
  }

  async autoAnswer(channel: string): Promise<boolean | undefined> {
    const row = this.db.prepare('SELECT auto_answer FROM channel_settings WHERE channel = ?').get(channel) as { auto_answer: number } | undefined;
    return row ? row.auto_answer === 1 : undefined;
  }

  async setAutoAnswer(channel: string, on: boolean, by: string): Promise<void> {
    this.db
      .prepare(`INSERT INTO channel_settings VALUES (?,?,?,?)
        ON CONFLICT (channel) DO UPDATE SET auto_answer = excluded.auto_answer, updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
      .run(channel, on ? 1 : 0, by, new Date().toISOString());
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
