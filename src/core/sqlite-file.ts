import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Opens (creating if needed) one of the small SQLite files Cairn keeps in its data directory
 * (feedback, claims, channel settings, the embedding cache) and creates its tables. WAL, because
 * the bot and a CLI command may have the file open at once; a statement meeting another
 * connection's lock waits up to `busyTimeoutMs` (blocking the process) before it fails.
 */
export function openDataFile(
  dataDir: string,
  name: string,
  schema: string,
  opts: { busyTimeoutMs?: number | undefined; /** Brings a file an earlier release wrote up to `schema`. */ upgrade?: (db: Database.Database) => void } = {},
): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, name), { timeout: opts.busyTimeoutMs ?? 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec(schema);
    opts.upgrade?.(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
