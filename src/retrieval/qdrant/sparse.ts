import { indexText, type Chunk } from '../../core/documents.js';
import { queryTerms, tokenize } from '../text/index.js';

/**
 * BM25 as Qdrant sparse vectors. A chunk's vector holds, per term, BM25's saturated term frequency
 * tf·(k1+1) / (tf + k1·(1 − b + b·len/avgLen)); the query's vector holds 1 per distinct term. The
 * collection's `idf` modifier multiplies each matching term by Qdrant's IDF at query time, so the dot
 * product is the BM25 score.
 *
 * avgLen is a fixed constant, not the live corpus average: a tracked average would change every stored
 * vector whenever a document is added, and Qdrant cannot recompute them server-side. 140 tokens is what
 * the default chunk size yields (≈150 tokens per 1,000 characters on the three eval corpora, chunks of
 * ≈900 characters with their breadcrumb). A wrong guess only shifts how strongly length is penalised;
 * the values are recorded in the collection metadata so a change can be detected and re-indexed.
 */
export const BM25 = { k1: 1.2, b: 0.75, avgLength: 140 } as const;
export type Bm25Params = { k1: number; b: number; avgLength: number };

export interface SparseVector {
  indices: number[];
  values: number[];
}

/** FNV-1a over the UTF-8 bytes: a stable unsigned 32-bit id per term, the range Qdrant's sparse indices take. */
export function termId(term: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Indices must be unique in Qdrant: terms whose hashes collide share one entry. */
function termFrequencies(terms: string[]): Map<number, number> {
  const tf = new Map<number, number>();
  for (const term of terms) {
    const id = termId(term);
    tf.set(id, (tf.get(id) ?? 0) + 1);
  }
  return tf;
}

function sorted(entries: Array<[number, number]>): SparseVector {
  entries.sort((a, b) => a[0] - b[0]);
  return { indices: entries.map((e) => e[0]), values: entries.map((e) => e[1]) };
}

export function chunkSparseVector(chunk: Pick<Chunk, 'title' | 'headingPath' | 'text'>, params: Bm25Params = BM25): SparseVector {
  const terms = tokenize(indexText(chunk));
  const norm = params.k1 * (1 - params.b + (params.b * terms.length) / params.avgLength);
  const entries = [...termFrequencies(terms)].map(([id, tf]): [number, number] => [id, (tf * (params.k1 + 1)) / (tf + norm)]);
  return sorted(entries);
}

/** Empty when the query has no words; callers then skip the sparse side. */
export function querySparseVector(query: string): SparseVector {
  return sorted([...termFrequencies(queryTerms(query)).keys()].map((id): [number, number] => [id, 1]));
}
