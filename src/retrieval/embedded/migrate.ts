import type Database from 'better-sqlite3';
import { indexText } from '../../core/documents.js';
import type { Logger } from '../../core/logger.js';
import { groupToken, KEYWORD_TABLE } from './keyword-table.js';
import { CHUNK_COLUMNS, CHUNKS_WITH_TEXT, toChunk, type ChunkRow } from './rows.js';

/**
 * Upgrades an index an earlier release wrote, in place, on open: the chunks' text and vectors are
 * all in it, so an upgrade needs neither the source files nor the embedder. Each step runs in one
 * immediate transaction and re-reads the version inside it, so of several processes opening the
 * same index one migrates and the rest find it done.
 */
export function migrate(db: Database.Database, logger?: Logger): void {
  const version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck();
  if (version.get() !== '1') return;
  const started = performance.now();
  const upgraded = db.transaction(() => {
    if (version.get() !== '1') return false;
    // Minutes at a million chunks, before the index can serve: say what the wait is.
    logger?.info({ file: db.name, chunks: db.prepare('SELECT count(*) FROM chunks').pluck().get() }, 'upgrading the index from schema 1 to 2: refilling the keyword index');
    addGroupColumn(db);
    db.prepare("UPDATE meta SET value = '2' WHERE key = 'schema_version'").run();
    return true;
  }).immediate();
  if (upgraded) logger?.info({ file: db.name, seconds: Math.round(performance.now() - started) / 1000 }, 'index upgraded to schema 2');
}

/** v1 → v2: the keyword index gains the group-token column; contentless, so it is refilled from the chunks. */
function addGroupColumn(db: Database.Database): void {
  db.exec('DROP TABLE chunks_fts');
  db.exec(KEYWORD_TABLE);
  const page = db.prepare(`SELECT ${CHUNK_COLUMNS} FROM ${CHUNKS_WITH_TEXT} WHERE c.rowid > ? ORDER BY c.rowid LIMIT 2000`);
  const insert = db.prepare('INSERT INTO chunks_fts (rowid, body, access_group) VALUES (?, ?, ?)');
  // Paged: better-sqlite3 cannot write while a read statement is still iterating.
  for (let after = 0, rows = page.all(after) as ChunkRow[]; rows.length > 0; rows = page.all(after) as ChunkRow[]) {
    for (const r of rows) insert.run(r.rowid, indexText(toChunk(r)), groupToken(r.access_group));
    after = rows[rows.length - 1]!.rowid;
  }
  db.exec("INSERT INTO chunks_fts(chunks_fts) VALUES('optimize')");
}
