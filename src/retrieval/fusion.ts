import type { FusionOptions, SearchHit } from '../core/search.js';

/**
 * Fusion of ranked lists into one: a sparse (BM25) and a dense list for hybrid search, or any
 * number of search results for a multi-query search. Pure functions over lists, best first, so
 * both stores and the agent share them. Ties keep first-seen order: the sparse list's order, then
 * dense-only items in the dense list's order.
 */

/**
 * The reciprocal-rank constant k in score = 1/(k + rank), rank counted from 1: the usual 60 damps
 * the head, so agreement across lists outweighs one list's top rank. Hybrid search takes its k
 * from config (RRF_K, same default and meaning); the multi-query fusion always uses this one.
 */
export const RRF_K = 60;

export interface Ranked<Id> {
  id: Id;
  score: number;
}

/** Scales scores to [0, 1] over the list's own candidates; a list whose scores are all equal maps to 1. */
function minMax<Id>(list: ReadonlyArray<Ranked<Id>>): Map<Id, number> {
  const out = new Map<Id, number>();
  if (list.length === 0) return out;
  let lo = Infinity;
  let hi = -Infinity;
  for (const { score } of list) {
    if (score < lo) lo = score;
    if (score > hi) hi = score;
  }
  const span = hi - lo;
  for (const { id, score } of list) if (!out.has(id)) out.set(id, span > 0 ? (score - lo) / span : 1);
  return out;
}

function union<Id>(sparse: ReadonlyArray<Ranked<Id>>, dense: ReadonlyArray<Ranked<Id>>): Id[] {
  const seen = new Set<Id>();
  const ids: Id[] = [];
  for (const { id } of [...sparse, ...dense]) {
    if (seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
  }
  return ids;
}

function ranked<Id>(ids: Id[], scoreOf: (id: Id) => number): Array<Ranked<Id>> {
  // Array.prototype.sort is stable, so equal scores keep union order.
  return ids.map((id) => ({ id, score: scoreOf(id) })).sort((a, b) => b.score - a.score);
}

/**
 * Min-max linear blend: score = (1 − α)·sparse' + α·dense', each side min-max normalised over its
 * own candidates and 0 where a candidate is absent from that side.
 */
export function fuseLinear<Id>(sparse: ReadonlyArray<Ranked<Id>>, dense: ReadonlyArray<Ranked<Id>>, alpha: number): Array<Ranked<Id>> {
  const s = minMax(sparse);
  const d = minMax(dense);
  return ranked(union(sparse, dense), (id) => (1 - alpha) * (s.get(id) ?? 0) + alpha * (d.get(id) ?? 0));
}

/** Weighted reciprocal rank fusion: score = 1/(k + rank_sparse) + w/(k + rank_dense), ranks from 1, absent = 0. */
export function fuseRrf<Id>(
  sparse: ReadonlyArray<Ranked<Id>>,
  dense: ReadonlyArray<Ranked<Id>>,
  opts: { k: number; denseWeight: number },
): Array<Ranked<Id>> {
  const rankOf = (list: ReadonlyArray<Ranked<Id>>) => {
    const ranks = new Map<Id, number>();
    list.forEach(({ id }, i) => {
      if (!ranks.has(id)) ranks.set(id, i + 1);
    });
    return ranks;
  };
  const rs = rankOf(sparse);
  const rd = rankOf(dense);
  return ranked(union(sparse, dense), (id) => {
    const a = rs.get(id);
    const b = rd.get(id);
    return (a === undefined ? 0 : 1 / (opts.k + a)) + (b === undefined ? 0 : opts.denseWeight / (opts.k + b));
  });
}

/**
 * Reciprocal-rank fusion of any number of search results, unweighted, with k = RRF_K: a chunk
 * scores 1/(k + rank) for every time it appears and keeps the first hit object seen for it;
 * equal scores keep first-seen order. Raw scores are ignored: across queries they do not compare.
 */
export function fuseByRank(lists: ReadonlyArray<readonly SearchHit[]>): SearchHit[] {
  const fused = new Map<string, { hit: SearchHit; score: number }>();
  for (const list of lists) {
    list.forEach((hit, i) => {
      const entry = fused.get(hit.chunk.id) ?? { hit, score: 0 };
      // Unlike fuseRrf, a chunk twice in one list counts twice: the arithmetic it always had.
      entry.score += 1 / (RRF_K + i + 1);
      fused.set(hit.chunk.id, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score).map(({ hit, score }) => ({ chunk: hit.chunk, score }));
}

/** Fuses according to the configured method. */
export function fuse<Id>(sparse: ReadonlyArray<Ranked<Id>>, dense: ReadonlyArray<Ranked<Id>>, options: FusionOptions): Array<Ranked<Id>> {
  return options.method === 'rrf'
    ? fuseRrf(sparse, dense, { k: options.rrfK, denseWeight: options.denseWeight })
    : fuseLinear(sparse, dense, options.denseWeight);
}
