/**
 * Offline embedder throughput and query latency: USE lite in its worker, no cache.
 * Run alone with `node --import tsx bench/embedder.ts [chunks]`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SentenceEncoderEmbedder } from '../src/embed/sentence-encoder.js';

export interface EmbedderBench {
  chunks_per_s: number;
  query_p50_ms: number;
  query_p95_ms: number;
  load_ms: number;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BOLT_DOCS = path.join(REPO_ROOT, '../shared/eval/bolt-docs');
const CHUNK_CHARS = 1000;
const QUERIES = 100;
const WARM_UPS = 5;

export async function benchEmbedder(opts: { chunks?: number } = {}): Promise<EmbedderBench> {
  const chunks = corpusChunks(opts.chunks ?? 200);
  const queries = readJsonl<{ text: string }>('queries.jsonl').map((q) => q.text);
  const embedder = new SentenceEncoderEmbedder();
  try {
    const loadStart = performance.now();
    await embedder.ready();
    const load_ms = performance.now() - loadStart;

    const embedStart = performance.now();
    await embedder.embedDocuments(chunks);
    const chunks_per_s = chunks.length / ((performance.now() - embedStart) / 1000);

    for (let i = 0; i < WARM_UPS; i++) await embedder.embedQuery(queries[i % queries.length] as string);
    const latencies: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const started = performance.now();
      await embedder.embedQuery(queries[i % queries.length] as string);
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    return {
      chunks_per_s: round(chunks_per_s, 2),
      query_p50_ms: round(percentile(latencies, 0.5), 1),
      query_p95_ms: round(percentile(latencies, 0.95), 1),
      load_ms: Math.round(load_ms),
    };
  } finally {
    await embedder.close();
  }
}

/** ~1,000-character pieces of the Bolt docs, cut at paragraph breaks where possible. */
function corpusChunks(count: number): string[] {
  const docs = readJsonl<{ title: string; text: string }>('corpus.jsonl');
  const chunks: string[] = [];
  for (const doc of docs) {
    let current = '';
    for (const para of doc.text.split(/\n{2,}/)) {
      if (current.length > 0 && current.length + para.length > CHUNK_CHARS) {
        chunks.push(`${doc.title}\n${current}`);
        current = '';
      }
      current += (current ? '\n\n' : '') + para.slice(0, CHUNK_CHARS);
    }
    if (current.trim()) chunks.push(`${doc.title}\n${current}`);
  }
  if (chunks.length < count) throw new Error(`The Bolt docs give ${chunks.length} chunks; asked for ${count}.`);
  return chunks.slice(0, count);
}

function readJsonl<T>(file: string): T[] {
  const full = path.join(BOLT_DOCS, file);
  return readFileSync(full, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const chunks = process.argv[2] ? Number(process.argv[2]) : undefined;
  console.log(JSON.stringify(await benchEmbedder({ chunks }), null, 2));
}
