import type { IndexDb } from './database.js';

/**
 * How many chunks hold each FTS5 token, for planning BM25 queries (sparse.ts). fts5vocab counts by
 * walking a term's posting list, which for a common word at 100k chunks costs milliseconds per
 * query, so big indexes keep a snapshot in `term_rows`.
 */

/** Below this many chunks, live fts5vocab counts are cheap enough and no snapshot is kept. */
const TERM_ROWS_FROM = 5_000;

/** About how many chunks contain the FTS5 token `term` (a Porter stem); 0 when none or unknown. */
export function termRows(db: IndexDb, term: string, snapshot = hasTermRowsSnapshot(db)): number {
  const sql = snapshot ? 'SELECT rows FROM term_rows WHERE term = ?' : 'SELECT doc FROM temp.chunks_vocab WHERE term = ?';
  return (db.stmt(sql).pluck().get(term) as number | undefined) ?? 0;
}

/** Whether `term_rows` holds a snapshot; read once per query, not once per term. */
export function hasTermRowsSnapshot(db: IndexDb): boolean {
  return db.meta('term_rows_seq') !== undefined;
}

/**
 * Re-snapshots `term_rows` when the index is big enough to need it and has changed by a tenth
 * since the last snapshot (or `force`). Counts may lag in between: they only steer query planning.
 */
export function refreshTermRows(db: IndexDb, force = false): void {
  const seq = db.vectorsSeq();
  const last = db.meta('term_rows_seq');
  if (!force) {
    // Every chunk added or removed bumps seq, so cheap checks on it come first.
    const since = last === undefined ? seq : seq - Number(last);
    if (since < (last === undefined ? TERM_ROWS_FROM : 1_000)) return;
    const chunks = db.chunkCount();
    if (last === undefined ? chunks < TERM_ROWS_FROM : since <= chunks / 10) return;
  }
  db.db.transaction(() => {
    db.stmt('DELETE FROM term_rows').run();
    db.stmt('INSERT INTO term_rows (term, rows) SELECT term, doc FROM temp.chunks_vocab').run();
    db.setMeta('term_rows_seq', String(seq));
  })();
}
