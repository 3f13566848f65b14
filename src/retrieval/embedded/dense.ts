import { CairnError } from '../../core/errors.js';
import type { SearchFilter } from '../../core/search.js';
import type { Ranked } from '../fusion.js';
import type { IndexDb } from './database.js';
import type { OpenGeneration } from './generation.js';
import { blobToVector } from './rows.js';

export interface DenseOptions {
  /** With a source filter, HNSW is asked for `n × oversample` neighbours, since the filter drops some. */
  oversample: number;
  /** When at most this many chunks pass a source filter, they are scanned exactly instead. */
  exactScanLimit: number;
}

export const DEFAULT_DENSE: DenseOptions = { oversample: 4, exactScanLimit: 5_000 };

function norm(v: Float32Array): number {
  let sum = 0;
  for (const x of v) sum += x * x;
  return Math.sqrt(sum);
}

function cosine(a: Float32Array, aNorm: number, b: Float32Array): number {
  let dot = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const y = b[i]!;
    dot += a[i]! * y;
    bb += y * y;
  }
  return bb === 0 || aNorm === 0 ? 0 : dot / (aNorm * Math.sqrt(bb));
}

/** Exact cosine similarity of the query to each candidate's stored vector, best first. */
export function rescore(db: IndexDb, vector: Float32Array, candidates: Array<Ranked<number>>): Array<Ranked<number>> {
  const vectors = db.vectorsOf(candidates.map((c) => c.id));
  const qNorm = norm(vector);
  return [...vectors].map(([id, v]) => ({ id, score: cosine(vector, qNorm, v) })).sort((a, b) => b.score - a.score);
}

/** Exact cosine top-n over the chunks passing the filter (those of a few sources, typically). */
export function exactScan(db: IndexDb, vector: Float32Array, n: number, filter?: SearchFilter): Array<Ranked<number>> {
  const qNorm = norm(vector);
  const scored: Array<Ranked<number>> = [];
  for (const row of db.vectors(filter)) scored.push({ id: row.rowid, score: cosine(vector, qNorm, blobToVector(row.vector)) });
  return scored.sort((a, b) => b.score - a.score).slice(0, n);
}

/**
 * Top-n chunk rowids by cosine similarity. The HNSW index is partitioned by access group, so the
 * group filter costs nothing. A source filter is applied after: its chunks are scanned exactly when
 * they are few (the usual case: a handful of files); otherwise HNSW is oversampled, post-filtered,
 * and asked for more until enough survive.
 */
export function denseSearch(gen: OpenGeneration, vector: Float32Array, n: number, filter: SearchFilter | undefined, opts: DenseOptions): Array<Ranked<number>> {
  const index = gen.vectors();
  if (!index || n <= 0) return [];
  if (vector.length !== index.dimensions) {
    throw new CairnError('EMBEDDER_MISMATCH', `The query vector is ${vector.length}-d but the index holds ${index.dimensions}-d vectors: re-index needed — run \`cairn ingest --full <paths>\`.`);
  }
  const groups = filter?.accessGroups;
  if (!filter?.sources) return index.search(vector, n, groups);
  const allowedCount = gen.db.countAllowed(filter);
  if (allowedCount === 0) return [];
  if (allowedCount <= opts.exactScanLimit) return exactScan(gen.db, vector, n, filter);
  const pool = index.sizeOf(groups);
  let want = Math.min(pool, n * opts.oversample);
  for (;;) {
    const hits = index.search(vector, want, groups);
    const allowed = gen.db.allowed(hits.map((h) => h.id), filter);
    const kept = hits.filter((h) => allowed.has(h.id));
    if (kept.length >= n || want >= pool) return kept.slice(0, n);
    want = Math.min(pool, want * 4);
  }
}
