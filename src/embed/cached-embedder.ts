import { LRUCache } from 'lru-cache';
import type { Embedder } from '../core/embedder.js';
import { CairnError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { textHash, type VectorCache } from './vector-cache.js';

export interface CachedEmbedderOptions {
  /** Misses are embedded and saved this many at a time, so a failure mid-ingest keeps what was done. */
  flushEvery?: number;
  /** Query vectors kept in memory: questions repeat in chat. */
  queryCacheSize?: number;
  logger?: Logger;
}

/** An embedder that may need a first call before `id` and `dimensions` are known. */
type InnerEmbedder = Embedder & { ready?(): Promise<void> };

/**
 * Wraps any embedder with the persistent vector cache: documents already embedded by the same
 * embedder (same id) are read back instead of recomputed. Closing it closes the inner embedder and the cache.
 */
export class CachedEmbedder implements Embedder {
  private readonly flushEvery: number;
  private readonly queries: LRUCache<string, Float32Array>;
  private readonly logger: Logger | undefined;

  constructor(
    private readonly inner: InnerEmbedder,
    private readonly cache: VectorCache,
    options: CachedEmbedderOptions = {},
  ) {
    this.flushEvery = Math.max(1, options.flushEvery ?? 256);
    this.queries = new LRUCache({ max: Math.max(1, options.queryCacheSize ?? 500) });
    this.logger = options.logger;
  }

  get id(): string {
    return this.inner.id;
  }

  get dimensions(): number {
    return this.inner.dimensions;
  }

  /** Loads the model or learns the remote model's dimensions; call before reading `id`. */
  async ready(): Promise<void> {
    await this.inner.ready?.();
  }

  async embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]> {
    await this.ready();
    const { id, dimensions } = this.inner;
    const hashes = texts.map(textHash);
    const found = this.cache.getMany(id, dimensions, hashes);
    const byHash = new Map<string, Float32Array>();
    hashes.forEach((hash, i) => {
      const vector = found[i];
      if (vector) byHash.set(hash, vector);
    });

    // Each distinct missing text once, in input order.
    const missing = new Map<string, string>();
    texts.forEach((text, i) => {
      const hash = hashes[i] as string;
      if (!byHash.has(hash)) missing.set(hash, text);
    });
    const cachedCount = texts.length - hashes.filter((h) => missing.has(h)).length;
    this.logger?.debug({ embedder: id, texts: texts.length, cached: cachedCount, toEmbed: missing.size }, 'embedding documents');
    onProgress?.(cachedCount, texts.length);

    const todo = [...missing.entries()];
    let embedded = 0;
    for (let start = 0; start < todo.length; start += this.flushEvery) {
      const slice = todo.slice(start, start + this.flushEvery);
      const vectors = await this.inner.embedDocuments(
        slice.map(([, text]) => text),
        (done) => onProgress?.(cachedCount + scaled(embedded + done, todo.length, texts.length - cachedCount), texts.length),
      );
      if (vectors.length !== slice.length) {
        throw new CairnError('INTERNAL', `${id} returned ${vectors.length} vectors for ${slice.length} texts.`);
      }
      const entries = slice.map(([hash], i) => ({ hash, vector: vectors[i] as Float32Array }));
      this.cache.putMany(id, entries);
      for (const { hash, vector } of entries) byHash.set(hash, vector);
      embedded += slice.length;
    }
    return hashes.map((hash) => byHash.get(hash) as Float32Array);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const hit = this.queries.get(text);
    if (hit) return hit.slice();
    const vector = await this.inner.embedQuery(text);
    this.queries.set(text, vector.slice());
    return vector;
  }

  async close(): Promise<void> {
    try {
      await this.inner.close?.();
    } finally {
      this.cache.close();
    }
  }
}

/** Progress over distinct texts, expressed in input texts (duplicates finish with their first copy). */
function scaled(doneDistinct: number, totalDistinct: number, totalTexts: number): number {
  return totalDistinct === 0 ? totalTexts : Math.round((doneDistinct / totalDistinct) * totalTexts);
}
