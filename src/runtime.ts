import type { Config } from './config/config.js';
import type { Embedder } from './core/embedder.js';
import { createLogger, type Logger } from './core/logger.js';
import type { Reranker, Retriever } from './core/retriever.js';
import type { VectorStore } from './core/store.js';
import { createEmbedder } from './embed/factory.js';
import { AccessRulesFile, type AccessRules } from './ingest/access-groups.js';
import { InstrumentedRetriever } from './observability/instrumented-retriever.js';
import { Metrics } from './observability/metrics.js';
import { createHybridRetriever } from './retrieval/hybrid-retriever.js';
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
  /** Which folders are in which access group, remembered for every later ingest. */
  accessRules: AccessRules;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** `background` for a process that answers questions: see EmbeddedStoreOptions.denseRebuild. */
  denseRebuild?: 'wait' | 'background';
}

export async function createRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const logger = opts.logger ?? createLogger({ level: config.log.level, content: config.log.content });
  const metrics = opts.metrics ?? new Metrics();
  const embedder = createEmbedder(config.embedding, { dataDir: config.dataDir, logger });
  const store = await openStore(config, logger, opts.denseRebuild);
  const reranker = createReranker(config.retrieval, logger);
  const hybrid = createHybridRetriever(store, embedder, reranker, config.retrieval, logger);
  return {
    config,
    logger,
    metrics,
    embedder,
    store,
    reranker,
    retriever: new InstrumentedRetriever(hybrid, metrics),
    accessRules: new AccessRulesFile(config.dataDir),
    async close() {
      await Promise.allSettled([embedder.close?.(), store.close()]);
    },
  };
}
