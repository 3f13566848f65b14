import { QdrantClient } from '@qdrant/js-client-rest';
import type { Logger } from '../../core/logger.js';
import { QdrantStore } from './qdrant-store.js';

export { QdrantStore } from './qdrant-store.js';

export interface QdrantStoreOptions {
  url: string;
  apiKey?: string;
  /** The alias readers use; physical collections are named `<collection>_<timestamp>`. */
  collection: string;
  logger: Logger;
  /** Per-request timeout. */
  timeoutMs?: number;
}

/**
 * Connects lazily: the first call checks the server version and maps an unreachable server to
 * STORE_UNAVAILABLE, so opening never fails on its own.
 */
export function openQdrantStore(opts: QdrantStoreOptions): QdrantStore {
  const logger = opts.logger.child({ component: 'qdrant' });
  if (opts.apiKey && opts.url.startsWith('http:')) logger.warn({ url: opts.url }, 'QDRANT_API_KEY is sent over plain http');
  const client = new QdrantClient({
    url: opts.url,
    // As a header rather than `apiKey`, which would also print its own console warning about plain http.
    ...(opts.apiKey ? { headers: { 'api-key': opts.apiKey } } : {}),
    timeout: opts.timeoutMs ?? 30_000,
    // The store checks the version itself and reports it as a CairnError instead of a console warning.
    checkCompatibility: false,
  });
  return new QdrantStore(client, opts.url, opts.collection, logger);
}
