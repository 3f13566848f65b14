import type { Config } from '../config/config.js';
import type { Embedder } from '../core/embedder.js';
import { CairnError, isCairnError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Reranker, RetrieveOptions, Retriever } from '../core/retriever.js';
import type { FusionOptions, SearchFilter, SearchHit } from '../core/search.js';
import type { VectorStore } from '../core/store.js';

export interface HybridRetrieverOptions {
  fusion: FusionOptions;
}

/**
 * Query → embedding → store search (dense, sparse or fused) → optional rerank. The store checks
 * the embedder once per process so a mismatched index fails with "re-index needed", not bad results.
 */
export class HybridRetriever implements Retriever {
  private embedderChecked = false;

  constructor(
    private readonly store: VectorStore,
    private readonly embedder: Embedder,
    private readonly reranker: Reranker | null,
    private readonly options: HybridRetrieverOptions,
    private readonly logger?: Logger,
  ) {}

  async search(query: string, opts: RetrieveOptions): Promise<SearchHit[]> {
    const mode = opts.mode ?? 'hybrid';
    const filter: SearchFilter = { accessGroups: opts.accessGroups, ...(opts.sources ? { sources: opts.sources } : {}) };
    const pool = this.reranker ? Math.max(opts.k, this.reranker.candidates) : opts.k;
    let hits: SearchHit[];
    if (mode === 'sparse') {
      hits = await this.store.searchSparse(query, pool, filter);
    } else {
      await this.checkEmbedder();
      const vector = await this.embedder.embedQuery(query);
      // No await between the check and the store call: the check describes this very search.
      if (!this.store.denseAvailable()) opts.onKeywordOnly?.();
      hits =
        mode === 'dense'
          ? await this.store.searchDense(vector, pool, filter)
          : await this.store.searchHybrid(query, vector, pool, this.options.fusion, filter);
    }
    if (hits.length === 0) await this.assertNotEmpty();
    if (!this.reranker || hits.length === 0) return hits.slice(0, opts.k);
    try {
      // The reranker re-scores the same top candidates however many results are asked for; beyond
      // them, fused order. So an eval asking for 100 measures the ranking a 6-passage answer gets.
      const { candidates } = this.reranker;
      const reranked = await this.reranker.rerank(query, hits.slice(0, candidates), Math.min(opts.k, candidates));
      return [...reranked, ...hits.slice(candidates)].slice(0, opts.k);
    } catch (err) {
      // A down rerank server degrades ranking; it must not take search down with it.
      if (!isCairnError(err, 'RERANKER_UNAVAILABLE')) throw err;
      this.logger?.warn({ err, reranker: this.reranker.id }, 'reranker unavailable; using fused order');
      return hits.slice(0, opts.k);
    }
  }

  /**
   * No hits from an index that holds no documents at all (never built, or deleted) is not "the docs
   * don't say": the user is told that nothing is indexed. Asked only when a search finds nothing.
   */
  private async assertNotEmpty(): Promise<void> {
    if ((await this.store.info()).documents > 0) return;
    throw new CairnError('INDEX_EMPTY', 'Nothing is indexed: run `cairn ingest <folder>` (and check that CAIRN_DATA_DIR points at the index).', {
      userMessage: 'Nothing is indexed yet, so I have no documents to answer from.',
    });
  }

  private async checkEmbedder(): Promise<void> {
    if (this.embedderChecked) return;
    await this.embedder.ready?.();
    await this.store.assertEmbedder({ id: this.embedder.id, dimensions: this.embedder.dimensions });
    this.embedderChecked = true;
  }
}

/** How many candidates each side (BM25, dense) brings to fusion. */
export const FUSION_CANDIDATES = 100;

/** The retriever with the configured fusion, as the runtime and every eval build it. */
export function createHybridRetriever(
  store: VectorStore,
  embedder: Embedder,
  reranker: Reranker | null,
  cfg: Pick<Config['retrieval'], 'fusion' | 'denseWeight' | 'rrfK'>,
  logger?: Logger,
): HybridRetriever {
  return new HybridRetriever(
    store,
    embedder,
    reranker,
    { fusion: { method: cfg.fusion, denseWeight: cfg.denseWeight, rrfK: cfg.rrfK, candidates: FUSION_CANDIDATES } },
    logger,
  );
}
