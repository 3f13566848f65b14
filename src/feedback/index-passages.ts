import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { openStore } from '../retrieval/store-factory.js';

/**
 * Full text of the given chunks from the configured index, for exports that would otherwise
 * carry only the citation snippets. An index that cannot be opened, or a chunk it no longer
 * holds, leaves that chunk out: the caller keeps the snippet.
 */
export async function readPassages(config: Pick<Config, 'store' | 'dataDir'>, logger: Logger, chunkIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(chunkIds)];
  if (ids.length === 0) return new Map();
  try {
    const store = await openStore(config, logger);
    try {
      return new Map((await store.getChunks(ids)).map((c) => [c.id, c.text]));
    } finally {
      await store.close();
    }
  } catch (err) {
    logger.warn({ err }, 'could not read passages from the index; exporting citation snippets instead');
    return new Map();
  }
}
