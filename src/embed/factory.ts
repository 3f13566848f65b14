import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { CachedEmbedder } from './cached-embedder.js';
import { OpenAIEmbedder } from './openai-embedder.js';
import { SentenceEncoderEmbedder } from './sentence-encoder.js';
import { VectorCache } from './vector-cache.js';

/** USE lite gains almost nothing from big batches (~120 vs ~127 ms per chunk), and small ones keep queries responsive. */
const USE_MAX_BATCH = 16;

/**
 * The configured embedder behind the persistent vector cache. Call `ready()` before reading `id`:
 * it loads the offline model, or asks an OpenAI-compatible server for its vector size when
 * EMBEDDING_DIMENSIONS is not set.
 */
export function createEmbedder(cfg: Config['embedding'], deps: { dataDir: string; logger: Logger }): CachedEmbedder {
  const logger = deps.logger.child({ component: 'embedder' });
  const inner =
    cfg.kind === 'use'
      ? new SentenceEncoderEmbedder({ batchSize: Math.min(cfg.batchSize, USE_MAX_BATCH), logger })
      : new OpenAIEmbedder({
          baseUrl: cfg.baseUrl,
          apiKey: cfg.apiKey,
          model: cfg.model,
          dimensions: cfg.dimensions,
          batchSize: cfg.batchSize,
          logger,
        });
  return new CachedEmbedder(inner, new VectorCache(deps.dataDir), {
    flushEvery: Math.max(256, cfg.batchSize),
    logger,
  });
}
