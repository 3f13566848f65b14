import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import type { VectorStore } from '../core/store.js';
import { openEmbeddedStore } from './embedded/index.js';
import { openQdrantStore } from './qdrant/index.js';

/** The configured store: Qdrant when QDRANT_URL is set, else the embedded one under the data directory. */
export async function openStore(config: Pick<Config, 'store' | 'dataDir'>, logger: Logger, denseRebuild: 'wait' | 'background' = 'wait'): Promise<VectorStore> {
  if (config.store.kind === 'qdrant' && config.store.qdrantUrl) {
    return openQdrantStore({
      url: config.store.qdrantUrl,
      ...(config.store.qdrantApiKey ? { apiKey: config.store.qdrantApiKey } : {}),
      collection: config.store.collection,
      logger,
    });
  }
  return openEmbeddedStore({ dataDir: config.dataDir, logger, denseRebuild });
}
