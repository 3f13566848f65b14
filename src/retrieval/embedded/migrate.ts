import type Database from 'better-sqlite3';
import { indexText } from '../../core/documents.js';
import type { Logger } from '../../core/logger.js';
import { groupToken, KEYWORD_INSERT, KEYWORD_TABLE } from './keyword-table.js';
import { CHUNK_COLUMNS, CHUNKS_WITH_TEXT, toChunk, type ChunkRow } from './rows.js';

/**
 * Upgrades an index an earlier release wrote, in place, on open: the chunks' text and vectors are
 * all in it, so an upgrade needs neither the source files nor the embedder. The upgrade is one
 * immediate transaction that re-reads the version inside it: of several processes opening the same
 * index, one upgrades, and the rest wait for its transaction (however long) and then find it done.
 */
export function migrate(db: Database.Database, logger?: Logger): void {
  const version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck();
  if (version.get() !== '1') return;
  const started = performance.now();
  const upgrade = db.transaction(() => {
    if (version.get() !== '1') return false;
    // Minutes at a million chunks, before the index can serve: say what the wait is.
    logger?.info({ file: db.name, chunks: db.prepare('SELECT count(*) FROM chunks').pluck().get() }, 'upgrading the index from schema 1 to 2: refilling the keyword index');
    addGroupColumn(db);
    db.prepare("UPDATE meta SET value = '2' WHERE key = 'schema_version'").run();
    return true;
  });
  if (!withLongWait(db, logger, () => upgrade.immediate())) return;
  // The refill went through the WAL, which would otherwise stay the size of the keyword index.
  db.pragma('wal_checkpoint(TRUNCATE)');
  logger?.info({ file: db.name, seconds: Math.round(performance.now() - started) / 1000 }, 'index upgraded to schema 2');
}

/** Another process's upgrade can outlast the usual busy timeout by far; a failed open would be worse than waiting. */
const UPGRADE_WAIT_MS = 30 * 60_000;

/** Runs `fn`, first without waiting for a lock, then, if another connection writes, saying so and waiting for it. */
function withLongWait<T>(db: Database.Database, logger: Logger | undefined, fn: () => T): T {
  const usual = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return fn();
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    logger?.info({ file: db.name }, 'another process is writing the index (upgrading it, or indexing): waiting for it before opening');
    db.pragma(`busy_timeout = ${UPGRADE_WAIT_MS}`);
    return fn();
  } finally {
    db.pragma(`busy_timeout = ${usual}`);
  }
}

/** v1 → v2: the keyword index gains the group-token column; contentless, so it is refilled from the chunks. */
function addGroupColumn(db: Database.Database): void {
  db.exec('DROP TABLE chunks_fts');
  db.exec(KEYWORD_TABLE);
  const page = db.prepare(`SELECT ${CHUNK_COLUMNS} FROM ${CHUNKS_WITH_TEXT} WHERE c.rowid > ? ORDER BY c.rowid LIMIT 2000`);
  const insert = db.prepare(KEYWORD_INSERT);
  // Paged: better-sqlite3 cannot write while a read statement is still iterating.
  for (let after = 0, rows = page.all(after) as ChunkRow[]; rows.length > 0; rows = page.all(after) as ChunkRow[]) {
    for (const r of rows) insert.run(r.rowid, indexText(toChunk(r)), groupToken(r.access_group));
    after = rows[rows.length - 1]!.rowid;
  }
  db.exec("INSERT INTO chunks_fts(chunks_fts) VALUES('optimize')");
}
