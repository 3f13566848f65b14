import type { SearchFilter } from '../../core/search.js';
import type { Ranked } from '../fusion.js';
import { fts5Or, queryWords } from '../text/index.js';
import { filterClause, type IndexDb } from './database.js';
import { groupMatch, KEYWORD_RANK, textMatch } from './keyword-table.js';
import { hasTermRowsSnapshot, termRows } from './term-rows.js';

export interface SparseOptions {
  /**
   * Query terms join the candidate query rarest first while the rows they match add up to at most
   * this, and always until they match at least n rows (so a misspelt or absent rare word cannot
   * leave the search empty). BM25 cost grows with the rows scored, and at 100k chunks a plain OR of
   * a question's common words scores most of the table.
   */
  selectiveRows: number;
  /**
   * A filter letting at least this share of chunks through is applied after ranking (over-fetch,
   * then drop), which is cheaper than checking it in SQL for every matching row.
   */
  postFilterShare: number;
  /**
   * Common terms join the second query rarest first while the rows all the query's terms match add
   * up to at most this; the commonest words of a long question are left out beyond it. Their IDF is
   * low, so they move a row's score little, while scoring them costs the most.
   */
  budgetRows: number;
}

export const DEFAULT_SPARSE: SparseOptions = { selectiveRows: 2_000, postFilterShare: 0.5, budgetRows: 60_000 };

/** One FTS5 MATCH, or two whose results merge with the second one's scores winning. */
export type Plan = string[];

/**
 * BM25 top-n for a question. When its terms match few rows, one FTS5 OR query. Otherwise the terms
 * are split into selective S (rare) and common C, and two queries run, each scored with FTS5's bm25
 * (IDF is global, so scores are comparable across queries):
 *   `S`            rows with a selective term, scored without C: true for rows without C, an
 *                  underestimate for the rest, which the next query covers;
 *   `(S) AND (C)`  rows with both, scored with every term: their true scores.
 * Merged (the second wins), this is the exact top-n among rows holding at least one selective term
 * (an underestimated row outside the second query's top-n cannot outrank its n rows). Rows holding
 * only common terms are skipped: their best possible score is low, since their IDF is low.
 * The defaults bound the rows scored whatever the index's size, at a small cost in ranking at 100k
 * chunks and none on the smaller public sets (docs/retrieval.md, "Keyword search at scale").
 */
export function plan(db: IndexDb, query: string, n: number, opts: SparseOptions): Plan {
  const terms = queryWords(query);
  if (terms.length <= 1) return terms.length === 0 ? [] : [fts5Or([terms[0]!.word])];
  const snapshot = hasTermRowsSnapshot(db);
  const counted = terms.map((t) => ({ word: t.word, rows: termRows(db, t.stem, snapshot) })).sort((a, b) => a.rows - b.rows);
  // FTS5's bm25 clamps the IDF of a term in half the rows or more to ~0: such a term adds nothing but the
  // cost of walking its posting list (unless the question has nothing else).
  const half = db.chunkCount() / 2;
  const useful = counted[0]!.rows >= half ? counted : counted.filter((t) => t.rows < half);
  let rows = 0;
  let selective = 0;
  for (const t of useful) {
    if (rows >= n && rows + t.rows > opts.selectiveRows) break;
    rows += t.rows;
    selective++;
  }
  let common = selective;
  while (common < useful.length && rows + useful[common]!.rows <= opts.budgetRows) rows += useful[common++]!.rows;
  const s = fts5Or(useful.slice(0, selective).map((t) => t.word));
  if (common === selective) return [s];
  return [s, `(${s}) AND (${fts5Or(useful.slice(selective, common).map((t) => t.word))})`];
}

/**
 * BM25 top `limit` for an FTS5 MATCH expression over the text; score = −bm25, so higher is better.
 * An access-group filter is one more FTS5 term (keyword-table.ts); a source filter is checked per row.
 */
export function bm25(db: IndexDb, match: string, limit: number, filter?: SearchFilter): Array<Ranked<number>> {
  const groups = filter?.accessGroups;
  if (groups?.length === 0) return [];
  const expr = groups ? `${textMatch(match)} AND ${groupMatch(groups)}` : textMatch(match);
  const f = filterClause(filter?.sources ? { sources: filter.sources } : undefined, 'c');
  // ORDER BY bm25() lets SQLite keep a top-`limit` heap; ORDER BY rank makes FTS5 sort every match.
  // CROSS JOIN keeps the FTS5 match as the outer loop; the source filter is checked per matching row.
  const sql =
    f.params.length === 0
      ? `SELECT rowid AS id, ${KEYWORD_RANK} AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY ${KEYWORD_RANK} LIMIT ?`
      : `SELECT chunks_fts.rowid AS id, ${KEYWORD_RANK} AS rank FROM chunks_fts CROSS JOIN chunks c ON c.rowid = chunks_fts.rowid WHERE chunks_fts MATCH ? AND ${f.sql} ORDER BY ${KEYWORD_RANK} LIMIT ?`;
  const rows = db.stmt(sql).all(expr, ...f.params, limit) as Array<{ id: number; rank: number }>;
  return rows.map((r) => ({ id: r.id, score: -r.rank }));
}

/** Runs the plan's queries for the top m each and merges them; `complete` when no query had more. */
function run(db: IndexDb, queries: Plan, m: number, filter: SearchFilter | undefined): { hits: Array<Ranked<number>>; complete: boolean } {
  const scores = new Map<number, number>();
  let complete = true;
  for (const match of queries) {
    const hits = bm25(db, match, m, filter);
    if (hits.length === m) complete = false;
    for (const hit of hits) scores.set(hit.id, hit.score);
  }
  const hits = [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
  return { hits, complete };
}

export function sparseSearch(db: IndexDb, query: string, n: number, filter: SearchFilter | undefined, opts: SparseOptions): Array<Ranked<number>> {
  if (n <= 0) return [];
  const queries = plan(db, query, n, opts);
  if (queries.length === 0) return [];
  const share = filter ? db.passRate(filter) : 1;
  if (filter && share !== null && share >= opts.postFilterShare) {
    // If at least n of the unfiltered top m pass, they are the filtered top n: anything lower ranks below them.
    const m = Math.ceil((n / share) * 1.2) + 10;
    const { hits, complete } = run(db, queries, m, undefined);
    // Only the merged top m is exact (further rows may carry underestimated scores).
    const top = complete ? hits : hits.slice(0, m);
    const allowed = db.allowed(top.map((h) => h.id), filter);
    const kept = top.filter((h) => allowed.has(h.id));
    if (kept.length >= n || complete) return kept.slice(0, n);
  }
  return run(db, queries, n, filter).hits.slice(0, n);
}
