import Database from 'better-sqlite3';
import type { Logger } from '../../core/logger.js';
import { KEYWORD_TABLE } from './keyword-table.js';
import { migrate } from './migrate.js';

/** Bumped when the tables change: an older index is upgraded on open (migrate.ts), a newer one refused. */
export const SCHEMA_VERSION = '2';

/**
 * The source of truth of one generation. `chunks.rowid` is the HNSW key and the FTS5 rowid.
 * AUTOINCREMENT so a deleted chunk's key is never reused: a reader whose HNSW still holds the
 * old key must not mistake a new chunk for it. Text and vectors live in their own tables so the
 * rows that filters and joins touch stay small enough for SQLite's page cache at 100k chunks.
 * `vector_changes` logs every key added or removed so other processes can bring their in-memory
 * HNSW up to date without reloading it. `chunks_fts` is the keyword index (keyword-table.ts).
 * `term_rows` is a snapshot of how many chunks hold each FTS5 token, for planning BM25 queries
 * (see sparse.ts).
 */
const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE documents (
  doc_id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  title TEXT NOT NULL,
  hash TEXT NOT NULL,
  access_group TEXT NOT NULL,
  chunks INTEGER NOT NULL,
  indexed_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX documents_source ON documents (source);
CREATE TABLE chunks (
  rowid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  doc_id TEXT NOT NULL,
  source TEXT NOT NULL,
  access_group TEXT NOT NULL,
  url TEXT,
  title TEXT NOT NULL,
  heading_path TEXT NOT NULL,
  chunk_index INTEGER NOT NULL,
  total_chunks INTEGER NOT NULL,
  content_hash TEXT NOT NULL
);
CREATE INDEX chunks_doc ON chunks (doc_id);
CREATE INDEX chunks_group ON chunks (access_group);
CREATE INDEX chunks_source ON chunks (source);
CREATE TABLE chunk_text (rowid INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE chunk_vectors (rowid INTEGER PRIMARY KEY, vector BLOB NOT NULL);
${KEYWORD_TABLE}
CREATE TABLE vector_changes (seq INTEGER PRIMARY KEY, chunk_rowid INTEGER NOT NULL, access_group TEXT NOT NULL, added INTEGER NOT NULL);
CREATE TABLE term_rows (term TEXT PRIMARY KEY, rows INTEGER NOT NULL) WITHOUT ROWID;
`;

function configure(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a crash loses at most the last transactions, never consistency.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('cache_size = -65536');
}

/** Opens (or creates) a generation's database; an existing one from an earlier release is upgraded first, logged to `logger`. */
export function openDatabase(file: string, opts: { create: boolean; logger?: Logger }): Database.Database {
  const db = new Database(file, { fileMustExist: !opts.create });
  try {
    // Before the first write: 8 KiB pages hold three 512-d (or one 1536-d) f32 vectors where 4 KiB pages hold one.
    if (opts.create) db.pragma('page_size = 8192');
    configure(db);
    if (opts.create) {
      db.transaction(() => {
        db.exec(SCHEMA);
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)').run('schema_version', SCHEMA_VERSION, 'vectors_seq', '0');
      })();
    } else {
      migrate(db, opts.logger);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
