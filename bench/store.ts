/**
 * Embedded-store benchmarks: ingest throughput (chunker + store writes, stub embedder) and query
 * latency per mode at given index sizes. Text is synthetic but realistic: every passage mixes words
 * of one SciFact abstract (its "topic") with words drawn at corpus frequency, queries are real
 * SciFact claims, and 512-d vectors sit around 1,000 Gaussian cluster centres so ANN recall means
 * something. Latency is one query at a time, the query vector given (no embedding).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { chunkId, type Chunk, type SourceDocument } from '../src/core/documents.js';
import type { FusionOptions, SearchFilter, SearchHit } from '../src/core/search.js';
import { chunkDocument, CHUNKER_VERSION } from '../src/ingest/chunker.js';
import { IndexDb } from '../src/retrieval/embedded/database.js';
import { exactScan } from '../src/retrieval/embedded/dense.js';
import { openEmbeddedStore, type EmbeddedStore } from '../src/retrieval/embedded/index.js';
import { openDatabase } from '../src/retrieval/embedded/schema.js';
import { rng } from '../test/retrieval/embedded/fixtures.js';
import { percentiles, type Latency } from './percentiles.js';
import { benchStages, type StageResult } from './stages.js';

export type { Latency } from './percentiles.js';

const SCIFACT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/eval/scifact');
const DIMENSIONS = 512;
const CLUSTERS = 1000;
const STUB_EMBEDDER = { id: 'bench-stub@1', dimensions: DIMENSIONS };
const CHUNKS_PER_DOC = 5;
const logger = pino({ level: 'silent' });

export interface SizeResult {
  dense: Latency;
  sparse: Latency;
  hybrid: Latency;
  /** Hybrid restricted to a small access group (5 % of chunks): its own HNSW partition, BM25 filtered in SQL. */
  hybrid_small_group: Latency;
  build_s: number;
  /** Peak RSS of the bench process once this size is built (includes earlier sizes). */
  build_peak_rss_mb: number;
  dense_recall_at_10: number;
  /** One hybrid query replayed stage by stage, and the raw engines on the same queries. */
  stages: StageResult;
  /** End-to-end hybrid / (raw HNSW + raw FTS5), timed in the same loop over the same queries, at p50 and p95. */
  ratio: { p50: number; p95: number };
}

/** A Gaussian from the tests' seeded PRNG (mulberry32), so runs are comparable. */
function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
}

function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}

export class Corpus {
  readonly abstracts: string[][];
  readonly titles: string[];
  /** Every token of the corpus: sampling from it uniformly draws words at corpus frequency. */
  private readonly stream: string[];
  readonly queries: string[];
  private readonly centres: Float32Array[];

  constructor() {
    const lines = fs.readFileSync(path.join(SCIFACT, 'corpus.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
    const docs = lines.map((l) => JSON.parse(l) as { title: string; text: string });
    this.abstracts = docs.map((d) => d.text.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 20);
    this.titles = docs.map((d) => d.title);
    this.stream = this.abstracts.flat();
    this.queries = fs
      .readFileSync(path.join(SCIFACT, 'queries.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { text: string }).text);
    const next = rng(7);
    this.centres = Array.from({ length: CLUSTERS }, () => normalise(Float32Array.from({ length: DIMENSIONS }, () => gaussian(next))));
  }

  /** `words` words: 60 % from the topic abstract, 40 % from the whole corpus. */
  passage(topic: number, words: number, next: () => number): string {
    const own = this.abstracts[topic % this.abstracts.length]!;
    const out: string[] = [];
    for (let i = 0; i < words; i++) {
      const pool = next() < 0.6 ? own : this.stream;
      out.push(pool[Math.floor(next() * pool.length)]!);
    }
    return out.join(' ');
  }

  /** A unit vector around cluster `topic mod 1000`: noise as long as the centre, so cosine to it is ~0.7. */
  vector(topic: number, next: () => number): Float32Array {
    const c = this.centres[topic % CLUSTERS]!;
    const sigma = 1 / Math.sqrt(DIMENSIONS);
    const v = new Float32Array(DIMENSIONS);
    for (let i = 0; i < DIMENSIONS; i++) v[i] = c[i]! + gaussian(next) * sigma;
    return normalise(v);
  }
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-'));
}

/** 80 % public, 15 % eng, 5 % hr; queries run as someone in public + eng (95 % of chunks) or in hr only. */
function groupOf(i: number): string {
  const r = i % 20;
  return r === 0 ? 'hr' : r <= 3 ? 'eng' : 'public';
}

/** Chunking + store writes (incremental upserts, HNSW kept in step) of synthetic Markdown documents. */
export async function benchIngest(corpus: Corpus, documents: number): Promise<{ chunks_per_s: number; chunks: number }> {
  const next = rng(11);
  const docs: SourceDocument[] = Array.from({ length: documents }, (_, i) => {
    const sections = Array.from({ length: 3 }, (_, s) => `## Section ${s + 1}\n\n${[0, 1, 2].map(() => corpus.passage(i, 60 + Math.floor(next() * 60), next)).join('\n\n')}`);
    return {
      id: `doc-${i}.md`,
      source: `docs/${groupOf(i)}/doc-${i}.md`,
      title: corpus.titles[i % corpus.titles.length]!,
      text: sections.join('\n\n'),
      format: 'markdown',
      accessGroup: groupOf(i),
      hash: `v${CHUNKER_VERSION}-${i}`,
    };
  });
  const dataDir = tempDir();
  const store = await openEmbeddedStore({ dataDir, logger });
  try {
    let chunks = 0;
    const started = performance.now();
    for (const doc of docs) {
      const pieces = await chunkDocument({ ...doc, accessGroup: 'public' }, { chunkSize: 1200, chunkOverlap: 200 });
      chunks += pieces.length;
      await store.upsertDocument(
        {
          document: { docId: doc.id, source: doc.source, title: doc.title, hash: doc.hash, accessGroup: 'public' },
          chunks: pieces,
          vectors: pieces.map(() => corpus.vector(Math.floor(next() * CLUSTERS), next)),
        },
        STUB_EMBEDDER,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    return { chunks_per_s: Math.round(chunks / seconds), chunks };
  } finally {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Writes `chunks` pre-chunked passages through a full re-index (as `cairn ingest --full` would). */
export async function buildIndex(store: EmbeddedStore, corpus: Corpus, chunks: number): Promise<number> {
  const next = rng(chunks);
  const started = performance.now();
  const build = await store.beginRebuild(STUB_EMBEDDER);
  for (let d = 0; d * CHUNKS_PER_DOC < chunks; d++) {
    const docId = `doc-${d}`;
    const group = groupOf(d);
    const source = `docs/${group}/${docId}.md`;
    const title = corpus.titles[d % corpus.titles.length]!.split(' ').slice(0, 10).join(' ');
    const n = Math.min(CHUNKS_PER_DOC, chunks - d * CHUNKS_PER_DOC);
    const docChunks: Chunk[] = Array.from({ length: n }, (_, i) => ({
      id: chunkId(docId, i),
      docId,
      source,
      title,
      headingPath: [`Part ${i + 1}`],
      chunkIndex: i,
      totalChunks: n,
      contentHash: `${docId}-${i}`,
      accessGroup: group,
      text: corpus.passage(d, 120 + Math.floor(next() * 100), next),
    }));
    await build.write({
      document: { docId, source, title, hash: docId, accessGroup: group },
      chunks: docChunks,
      vectors: docChunks.map(() => corpus.vector(d, next)),
    });
  }
  await build.commit();
  return Number(((performance.now() - started) / 1000).toFixed(1));
}

async function time(queries: number, warmUps: number, run: (i: number) => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < warmUps; i++) await run(queries + i);
  const samples: number[] = [];
  for (let i = 0; i < queries; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

/** Recall@10 of HNSW results against an exact scan of the same generation's SQLite vectors. */
function denseRecallAt10(dataDir: string, runs: Array<{ q: Float32Array; hits: SearchHit[] }>): number {
  const index = path.join(dataDir, 'index');
  const gen = fs.readFileSync(path.join(index, 'CURRENT'), 'utf8').trim();
  const db = new IndexDb(openDatabase(path.join(index, gen, 'store.sqlite'), { create: false }));
  try {
    let found = 0;
    for (const { q, hits } of runs) {
      const truth = db.chunksByRowid(exactScan(db, q, 10).map((r) => r.id));
      const ids = new Set([...truth.values()].map((c) => c.id));
      found += hits.filter((h) => ids.has(h.chunk.id)).length;
    }
    return Number((found / (runs.length * 10)).toFixed(3));
  } finally {
    db.close();
  }
}

export interface QueryOptions {
  queries: number;
  warmUps: number;
  fusion: FusionOptions;
  k: number;
}

/** The bench's query vectors and questions, the same for every size. */
function workload(corpus: Corpus, opts: QueryOptions): { text: (i: number) => string; vector: (i: number) => Float32Array } {
  const next = rng(3);
  const qVectors = Array.from({ length: opts.queries + opts.warmUps }, () => corpus.vector(Math.floor(next() * CLUSTERS), next));
  return { text: (i) => corpus.queries[i % corpus.queries.length]!, vector: (i) => qVectors[i]! };
}

/** Latency per mode, the stage split and recall, over an index the bench built in `dataDir`. */
export async function measureIndex(
  store: EmbeddedStore,
  dataDir: string,
  corpus: Corpus,
  opts: QueryOptions,
): Promise<Omit<SizeResult, 'build_s' | 'build_peak_rss_mb'>> {
  const { text: qText, vector: v } = workload(corpus, opts);
  const filter: SearchFilter = { accessGroups: ['public', 'eng'] };
  const small: SearchFilter = { accessGroups: ['hr'] };
  // Steady state, as a server reaches it: every question once, so the FTS pages they touch are cached,
  // and as many other query vectors, so the memory-mapped HNSW graphs' pages are in.
  for (let i = 0; i < corpus.queries.length; i++) await store.searchSparse(qText(i), opts.k, filter);
  const other = rng(5);
  for (let i = 0; i < corpus.queries.length; i++) await store.searchDense(corpus.vector(Math.floor(other() * CLUSTERS), other), opts.k);
  const modes = {
    hybrid: await time(opts.queries, opts.warmUps, (i) => store.searchHybrid(qText(i), v(i), opts.k, opts.fusion, filter)),
    dense: await time(opts.queries, opts.warmUps, (i) => store.searchDense(v(i), opts.k, filter)),
    sparse: await time(opts.queries, opts.warmUps, (i) => store.searchSparse(qText(i), opts.k, filter)),
    hybrid_small_group: await time(opts.queries, opts.warmUps, (i) => store.searchHybrid(qText(i), v(i), opts.k, opts.fusion, small)),
  };
  const recallRuns = await Promise.all(Array.from({ length: 30 }, async (_, i) => ({ q: v(i), hits: await store.searchDense(v(i), 10) })));
  const stages = await benchStages(store, dataDir, { count: opts.queries, warmUps: opts.warmUps, text: qText, vector: v }, { fusion: opts.fusion, k: opts.k, filter });
  const ratio = (p: keyof Latency) => Number((stages.hybrid[p] / (stages.raw_hnsw[p] + stages.raw_fts5[p])).toFixed(2));
  return { ...modes, dense_recall_at_10: denseRecallAt10(dataDir, recallRuns), stages, ratio: { p50: ratio('p50_ms'), p95: ratio('p95_ms') } };
}

export async function benchQueries(
  corpus: Corpus,
  sizes: number[],
  opts: QueryOptions & { onSize?: (size: number, r: SizeResult) => void },
): Promise<Record<string, SizeResult>> {
  const out: Record<string, SizeResult> = {};
  for (const size of sizes) {
    const dataDir = tempDir();
    const store = await openEmbeddedStore({ dataDir, logger });
    try {
      const build_s = await buildIndex(store, corpus, size);
      const build_peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
      const result: SizeResult = { build_s, build_peak_rss_mb, ...(await measureIndex(store, dataDir, corpus, opts)) };
      out[String(size)] = result;
      opts.onSize?.(size, result);
    } finally {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return out;
}

export function loadCorpus(): Corpus {
  return new Corpus();
}
