/**
 * Where a hybrid query's time goes: the bench replays the embedded store's query path one stage at a
 * time (the same functions the store calls, in the same order), timing each, and times the raw
 * engines on the same queries: FTS5 bm25() top-k over an OR of the question's words, and HNSW top-k.
 * The store itself carries no timing code.
 */
import { pino } from 'pino';
import type { FusionOptions, SearchFilter, SearchHit } from '../src/core/search.js';
import { fuse, type Ranked } from '../src/retrieval/fusion.js';
import type { IndexDb } from '../src/retrieval/embedded/database.js';
import { IndexLayout } from '../src/retrieval/embedded/layout.js';
import type { EmbeddedStore } from '../src/retrieval/embedded/index.js';
import { LiveGeneration } from '../src/retrieval/embedded/live-generation.js';
import { bm25, plan } from '../src/retrieval/embedded/sparse.js';
import { DEFAULT_SPARSE } from '../src/retrieval/embedded/sparse.js';
import { DEFAULT_HNSW } from '../src/retrieval/embedded/vector-index.js';
import { LexicalReranker } from '../src/retrieval/rerank/index.js';
import { fts5Or, queryWords } from '../src/retrieval/text/index.js';
import { percentiles, type Latency } from './percentiles.js';

export const STAGES = [
  'query_words',
  'query_plan',
  'fts5_match',
  'bm25_rank',
  'access_filter',
  'hnsw_search',
  'fusion',
  'load_chunks',
  'rerank',
] as const;
export type Stage = (typeof STAGES)[number];

export interface StageResult {
  /** Per stage of one hybrid query (fusion candidates per side, the rerank pool loaded, k results). */
  stages: Record<Stage, Latency>;
  /** The store's searchHybrid (k results, no rerank), timed in the same loop as the raw engines. */
  hybrid: Latency;
  /** The engines alone on the same queries: FTS5 bm25() top-k, HNSW top-k. */
  raw_fts5: Latency;
  raw_hnsw: Latency;
}

function timed<T>(samples: number[], work: () => T): T {
  const started = performance.now();
  const out = work();
  samples.push(performance.now() - started);
  return out;
}

/** Mirrors EmbeddedStore.hydrate: rowids → chunks, the filter checked again on the stored rows. */
function load(db: IndexDb, ranked: Array<Ranked<number>>, filter: SearchFilter): SearchHit[] {
  const chunks = db.chunksByRowid(ranked.map((r) => r.id));
  const groups = new Set(filter.accessGroups);
  return ranked.flatMap((r) => {
    const chunk = chunks.get(r.id);
    return chunk && groups.has(chunk.accessGroup) ? [{ chunk, score: r.score }] : [];
  });
}

export async function benchStages(
  store: EmbeddedStore,
  dataDir: string,
  queries: { count: number; warmUps: number; text: (i: number) => string; vector: (i: number) => Float32Array },
  opts: { fusion: FusionOptions; k: number; filter: SearchFilter },
): Promise<StageResult> {
  const live = new LiveGeneration(new IndexLayout(dataDir), DEFAULT_HNSW, pino({ level: 'silent' }));
  try {
    const gen = live.get()!;
    const index = gen.vectors()!;
    const db = gen.db;
    const groups = opts.filter.accessGroups;
    const n = Math.max(opts.k, opts.fusion.candidates);
    const reranker = new LexicalReranker();
    const samples = Object.fromEntries(STAGES.map((s) => [s, [] as number[]])) as Record<Stage, number[]>;
    const rawFts: number[] = [];
    const rawHnsw: number[] = [];
    const hybrid: number[] = [];
    const matchOnly = db.db.prepare('SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?').pluck();
    const rawTopK = db.db.prepare('SELECT rowid, bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ?');
    for (let i = 0; i < queries.warmUps + queries.count; i++) {
      const keep = i >= queries.warmUps;
      const sink = (stage: Stage) => (keep ? samples[stage] : []);
      const q = queries.text(i);
      const v = queries.vector(i);
      const words = timed(sink('query_words'), () => queryWords(q));
      const matches = timed(sink('query_plan'), () => plan(db, q, n, DEFAULT_SPARSE));
      // As sparseSearch does for a filter letting most chunks through: rank unfiltered, then drop.
      const share = db.passRate(opts.filter)!;
      const m = Math.ceil((n / share) * 1.2) + 10;
      let matchMs = 0;
      let rankedMs = 0;
      const scores = new Map<number, number>();
      for (const match of matches) {
        const a = performance.now();
        matchOnly.get(match);
        const b = performance.now();
        for (const hit of bm25(db, match, m)) scores.set(hit.id, hit.score);
        const c = performance.now();
        matchMs += b - a;
        rankedMs += c - b;
      }
      // BM25 ranking = the ranked top-m query minus walking the same matches unranked.
      sink('fts5_match').push(matchMs);
      sink('bm25_rank').push(Math.max(0, rankedMs - matchMs));
      const top = [...scores].map(([id, score]) => ({ id, score })).sort((x, y) => y.score - x.score);
      const sparse = timed(sink('access_filter'), () => {
        const allowed = db.allowed(top.map((h) => h.id), opts.filter);
        return top.filter((h) => allowed.has(h.id)).slice(0, n);
      });
      const dense = timed(sink('hnsw_search'), () => index.search(v, n, groups));
      const fused = timed(sink('fusion'), () => fuse(sparse, dense, opts.fusion));
      const pool = timed(sink('load_chunks'), () => load(db, fused.slice(0, reranker.candidates), opts.filter));
      const start = performance.now();
      await reranker.rerank(q, pool, opts.k);
      sink('rerank').push(performance.now() - start);
      if (!keep) continue;
      const started = performance.now();
      await store.searchHybrid(q, v, opts.k, opts.fusion, opts.filter);
      hybrid.push(performance.now() - started);
      const or = fts5Or(words.map((w) => w.word));
      if (or) timed(rawFts, () => rawTopK.all(or, opts.k));
      timed(rawHnsw, () => index.search(v, opts.k, groups));
    }
    const stages = Object.fromEntries(STAGES.map((s) => [s, percentiles(samples[s])])) as Record<Stage, Latency>;
    return { stages, hybrid: percentiles(hybrid), raw_fts5: percentiles(rawFts), raw_hnsw: percentiles(rawHnsw) };
  } finally {
    live.close();
  }
}
