import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Embedder } from '../core/embedder.js';
import type { Logger } from '../core/logger.js';
import type { Reranker, Retriever } from '../core/retriever.js';
import type { SearchMode } from '../core/search.js';
import { CHUNKER_VERSION, ingest, type IngestProgress } from '../ingest/index.js';
import { openEmbeddedStore } from '../retrieval/embedded/index.js';
import { createHybridRetriever } from '../retrieval/hybrid-retriever.js';
import { loadBeirDataset, type BeirDataset } from './beir.js';
import { documentRanking, evaluateRuns, type RankingMetrics } from './metrics.js';

export type RunName = SearchMode | 'reranked';

export interface RetrievalReport {
  dataset: string;
  k: number;
  queries: number;
  docs: number;
  chunks: number;
  embedder: string;
  fusion: { method: string; denseWeight: number; rrfK: number };
  reranker: string | null;
  runs: Partial<Record<RunName, Record<string, number>>>;
}

export interface RetrievalEvalDeps {
  config: Config;
  embedder: Embedder;
  reranker: Reranker | null;
  logger: Logger;
  progress: IngestProgress;
  /** Called with "dense 120/300"-style lines while queries run. */
  onQueries?: (line: string) => void;
}

/** Chunks fetched per query so that enough distinct documents remain after best-chunk grouping. */
const CHUNK_POOL = 100;

/**
 * Indexes a BEIR corpus into a throw-away embedded index (reused while corpus, embedder and
 * chunking stay the same) and scores dense, sparse, hybrid and reranked runs at document level.
 */
export async function evaluateRetrieval(dir: string, k: number, deps: RetrievalEvalDeps): Promise<RetrievalReport> {
  const dataset = await loadBeirDataset(dir);
  await deps.embedder.ready?.();
  const indexDir = await evalIndexDir(dataset, deps);
  const store = await openEmbeddedStore({ dataDir: indexDir, logger: deps.logger });
  try {
    const marker = path.join(indexDir, 'complete.json');
    const built = await readFile(marker, 'utf8').then(() => true, () => false);
    if (!built) {
      const { ingest: cfg } = deps.config;
      await ingest(
        { paths: [dataset.corpusPath], accessGroup: 'public', chunkSize: cfg.chunkSize, chunkOverlap: cfg.chunkOverlap, maxFileBytes: Number.MAX_SAFE_INTEGER, embedBatchSize: deps.config.embedding.batchSize },
        { store, embedder: deps.embedder, logger: deps.logger, progress: deps.progress },
      );
      await writeFile(marker, JSON.stringify({ at: new Date().toISOString() }));
    }
    const info = await store.info();
    const cfg = deps.config.retrieval;
    const plain = createHybridRetriever(store, deps.embedder, null, cfg, deps.logger);
    const runs: RetrievalReport['runs'] = {};
    for (const mode of ['dense', 'sparse', 'hybrid'] as const) runs[mode] = await score(dataset, plain, mode, k, deps);
    if (deps.reranker) {
      const reranked = createHybridRetriever(store, deps.embedder, deps.reranker, cfg, deps.logger);
      runs.reranked = await score(dataset, reranked, 'reranked', k, deps);
    }
    return {
      dataset: dataset.name, k, queries: [...dataset.qrels.values()].filter((j) => [...j.values()].some((g) => g > 0)).length,
      docs: info.documents, chunks: info.chunks, embedder: deps.embedder.id,
      fusion: { method: cfg.fusion, denseWeight: cfg.denseWeight, rrfK: cfg.rrfK }, reranker: deps.reranker?.id ?? null, runs,
    };
  } finally {
    await store.close();
  }
}

async function score(dataset: BeirDataset, retriever: Retriever, run: RunName, k: number, deps: RetrievalEvalDeps): Promise<Record<string, number>> {
  const judgedQueries = dataset.queries.filter((q) => dataset.qrels.has(q.id));
  const rankings = new Map<string, string[]>();
  let done = 0;
  for (const q of judgedQueries) {
    const hits = await retriever.search(q.text, {
      k: CHUNK_POOL,
      mode: run === 'reranked' ? 'hybrid' : run,
      accessGroups: ['public'],
    });
    rankings.set(q.id, documentRanking(hits.map((h) => h.chunk.docId)));
    done += 1;
    if (done % 50 === 0 || done === judgedQueries.length) deps.onQueries?.(`${run} ${done}/${judgedQueries.length}`);
  }
  const m: RankingMetrics = evaluateRuns(rankings, dataset.qrels, k);
  return { [`recall@${k}`]: m['recall@k'], 'mrr@10': m['mrr@10'], 'ndcg@10': m['ndcg@10'] };
}

async function evalIndexDir(dataset: BeirDataset, deps: RetrievalEvalDeps): Promise<string> {
  const s = await stat(dataset.corpusPath);
  const { chunkSize, chunkOverlap } = deps.config.ingest;
  const key = createHash('sha256')
    .update(JSON.stringify([path.resolve(dataset.corpusPath), s.size, s.mtimeMs, deps.embedder.id, chunkSize, chunkOverlap, CHUNKER_VERSION]))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(deps.config.dataDir, 'eval', `${dataset.name}-${key}`);
  await mkdir(dir, { recursive: true });
  return dir;
}
