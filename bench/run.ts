/**
 * `npm run bench [-- --json] [-- --skip-embedder] [-- --sizes 20000,100000] [-- --queries 200]`
 * Prints a table; with --json, also one JSON object as the last line of stdout. Progress goes to stderr.
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
const skipEmbedder = process.argv.includes('--skip-embedder');
const sizes = (option('--sizes') ?? '20000,100000').split(',').map(Number);
const queries = Number(option('--queries') ?? 200);
const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const started = performance.now();

const corpus = loadCorpus();
progress(`ingest: chunking + incremental upserts of ${INGEST_DOCUMENTS} Markdown documents (stub embedder)`);
const ingest = await benchIngest(corpus, INGEST_DOCUMENTS);
progress(`ingest: ${ingest.chunks} chunks, ${ingest.chunks_per_s} chunks/s`);

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
rows.push(['ingest (chunker + store, stub embedder)', `${ingest.chunks_per_s} chunks/s`]);
if (embedder) {
  rows.push(['embedder throughput (USE lite)', `${embedder.chunks_per_s} chunks/s`]);
  rows.push(['embedder query p50 / p95', `${embedder.query_p50_ms} / ${embedder.query_p95_ms} ms`]);
}
for (const [size, r] of Object.entries(query)) {
  rows.push([`${size} chunks: full re-index (SQLite + HNSW)`, `${r.build_s} s`]);
  for (const mode of ['dense', 'sparse', 'hybrid', 'hybrid_small_group'] as const) {
    rows.push([`${size} chunks: ${mode} p50 / p95`, `${r[mode].p50_ms} / ${r[mode].p95_ms} ms`]);
  }
  rows.push([`${size} chunks: HNSW recall@10 vs exact`, String(r.dense_recall_at_10)]);
}
rows.push(['peak RSS', `${peak_rss_mb} MB`]);
rows.push(['bench wall time', `${Math.round((performance.now() - started) / 1000)} s`]);
const width = Math.max(...rows.map((r) => r[0]!.length));
for (const [label, value] of rows) console.log(`${label!.padEnd(width)}  ${value}`);

if (json) {
  const embedderJson = embedder ? { chunks_per_s: embedder.chunks_per_s, query_p95_ms: embedder.query_p95_ms, query_p50_ms: embedder.query_p50_ms } : null;
  console.log(JSON.stringify({ ingest: { chunks_per_s: ingest.chunks_per_s }, embedder: embedderJson, query, peak_rss_mb }));
}
