import type { Config } from './config/config.js';
import type { Embedder } from './core/embedder.js';
import { createLogger, type Logger } from './core/logger.js';
import type { Reranker, Retriever } from './core/retriever.js';
import type { VectorStore } from './core/store.js';
import { createEmbedder } from './embed/factory.js';
import { InstrumentedRetriever } from './observability/instrumented-retriever.js';
import { Metrics } from './observability/metrics.js';
import { HybridRetriever } from './retrieval/hybrid-retriever.js';
import { createReranker } from './retrieval/rerank/index.js';
import { openStore } from './retrieval/store-factory.js';

/** The retrieval half of Cairn, built once from config and shared by every command and surface. */
export interface Runtime {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  embedder: Embedder;
  store: VectorStore;
  reranker: Reranker | null;
  retriever: Retriever;
  close(): Promise<void>;
}

/** How many fused candidates the reranker re-scores. */
const RERANK_CANDIDATES = 30;
/** How many candidates each side (BM25, dense) brings to fusion. */
const FUSION_CANDIDATES = 100;

export async function createRuntime(config: Config, opts: { logger?: Logger; metrics?: Metrics } = {}): Promise<Runtime> {
  const logger = opts.logger ?? createLogger({ level: config.log.level, content: config.log.content });
  const metrics = opts.metrics ?? new Metrics();
  const embedder = createEmbedder(config.embedding, { dataDir: config.dataDir, logger });
  const store = await openStore(config, logger);
  const reranker = createReranker(config.retrieval, logger);
  const hybrid = new HybridRetriever(
    store,
    embedder,
    reranker,
    {
      fusion: { method: config.retrieval.fusion, denseWeight: config.retrieval.denseWeight, rrfK: config.retrieval.rrfK, candidates: FUSION_CANDIDATES },
      rerankCandidates: RERANK_CANDIDATES,
    },
    logger,
  );
  return {
    config,
    logger,
    metrics,
    embedder,
    store,
    reranker,
    retriever: new InstrumentedRetriever(hybrid, metrics),
    async close() {
      await Promise.allSettled([embedder.close?.(), store.close()]);
    },
  };
}
