/**
 * `npm run bench [-- --json] [-- --skip-embedder] [-- --sizes 20000,100000] [-- --queries 200]`
 * Prints a table; with --json, also one JSON object as the last line of stdout. Progress goes to stderr.
 * `npm run bench -- --size 1000000` measures one (large) size alone, without the ingest and embedder
 * parts: build time, peak memory and latency per mode. Sizes above 100k are opt-in only.
 */
import type { FusionOptions } from '../src/core/search.js';
import { benchEmbedder, type EmbedderBench } from './embedder.js';
import { benchIngest, benchQueries, loadCorpus, type SizeResult } from './store.js';
import { loadConfig } from '../src/config/config.js';
import { FUSION_CANDIDATES } from '../src/retrieval/hybrid-retriever.js';

/** The configured fusion (defaults unless FUSION* are set) with the runtime's candidates per side. */
const { fusion: method, denseWeight, rrfK } = loadConfig().retrieval;
const FUSION: FusionOptions = { method, denseWeight, rrfK, candidates: FUSION_CANDIDATES };
const K = 10;
const INGEST_DOCUMENTS = 800;
const WARM_UPS = 20;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const json = process.argv.includes('--json');
const single = option('--size');
const skipEmbedder = process.argv.includes('--skip-embedder') || single !== undefined;
const sizes = (single ?? option('--sizes') ?? '20000,100000').split(',').map(Number);
const queries = Number(option('--queries') ?? 200);
const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const started = performance.now();

const corpus = loadCorpus();
let ingest: { chunks_per_s: number } | null = null;
if (single === undefined) {
  progress(`ingest: chunking + incremental upserts of ${INGEST_DOCUMENTS} Markdown documents (stub embedder)`);
  const measured = await benchIngest(corpus, INGEST_DOCUMENTS);
  progress(`ingest: ${measured.chunks} chunks, ${measured.chunks_per_s} chunks/s`);
  ingest = measured;
}

let embedder: EmbedderBench | null = null;
if (!skipEmbedder) {
  progress('embedder: USE lite throughput and query latency');
  embedder = await benchEmbedder();
}

const query: Record<string, SizeResult> = await benchQueries(corpus, sizes, {
  queries,
  warmUps: WARM_UPS,
  fusion: FUSION,
  k: K,
  onSize: (size, r) => progress(`${size} chunks: built in ${r.build_s} s, hybrid p95 ${r.hybrid.p95_ms} ms`),
});
const peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);

const rows: string[][] = [['measure', 'value']];
if (ingest) rows.push(['ingest (chunker + store, stub embedder)', `${ingest.chunks_per_s} chunks/s`]);
if (embedder) {
  rows.push(['embedder throughput (USE lite)', `${embedder.chunks_per_s} chunks/s`]);
  rows.push(['embedder query p50 / p95', `${embedder.query_p50_ms} / ${embedder.query_p95_ms} ms`]);
}
for (const [size, r] of Object.entries(query)) {
  rows.push([`${size} chunks: full re-index (SQLite + HNSW)`, `${r.build_s} s`]);
  rows.push([`${size} chunks: peak RSS after the build`, `${r.build_peak_rss_mb} MB`]);
  for (const mode of ['dense', 'sparse', 'hybrid', 'hybrid_small_group'] as const) {
    rows.push([`${size} chunks: ${mode} p50 / p95`, `${r[mode].p50_ms} / ${r[mode].p95_ms} ms`]);
  }
  for (const [stage, l] of Object.entries(r.stages.stages)) rows.push([`${size} chunks: stage ${stage} p50 / p95`, `${l.p50_ms} / ${l.p95_ms} ms`]);
  rows.push([`${size} chunks: raw FTS5 bm25 top-${K} p50 / p95`, `${r.stages.raw_fts5.p50_ms} / ${r.stages.raw_fts5.p95_ms} ms`]);
  rows.push([`${size} chunks: raw HNSW top-${K} p50 / p95`, `${r.stages.raw_hnsw.p50_ms} / ${r.stages.raw_hnsw.p95_ms} ms`]);
  rows.push([`${size} chunks: hybrid, timed beside the raw engines, p50 / p95`, `${r.stages.hybrid.p50_ms} / ${r.stages.hybrid.p95_ms} ms`]);
  rows.push([`${size} chunks: hybrid / (raw HNSW + raw FTS5) p50 / p95`, `${r.ratio.p50} / ${r.ratio.p95}`]);
  rows.push([`${size} chunks: HNSW recall@10 vs exact`, String(r.dense_recall_at_10)]);
}
rows.push(['peak RSS', `${peak_rss_mb} MB`]);
rows.push(['bench wall time', `${Math.round((performance.now() - started) / 1000)} s`]);
const width = Math.max(...rows.map((r) => r[0]!.length));
for (const [label, value] of rows) console.log(`${label!.padEnd(width)}  ${value}`);

if (json) {
  const embedderJson = embedder ? { chunks_per_s: embedder.chunks_per_s, query_p95_ms: embedder.query_p95_ms, query_p50_ms: embedder.query_p50_ms } : null;
  console.log(JSON.stringify({ ingest, embedder: embedderJson, query, peak_rss_mb }));
}
