import type { RetrieveOptions, Retriever } from '../../core/retriever.js';
import type { SearchHit } from '../../core/search.js';
import { fuseByRank } from '../../retrieval/fusion.js';

/**
 * Passes searches through and keeps every result list since the last `take()`, so an eval can
 * see what the agent retrieved for one question. The agent answers one question at a time here.
 */
export class RecordingRetriever implements Retriever {
  private lists: SearchHit[][] = [];

  constructor(private readonly inner: Retriever) {}

  async search(query: string, options: RetrieveOptions): Promise<SearchHit[]> {
    // Lists keep the order the searches were made in, not the order they finished (the agent runs
    // its rewrites in parallel), so ties in the fusion break the same way every run.
    const lists = this.lists;
    const slot = lists.push([]) - 1;
    const hits = await this.inner.search(query, options);
    lists[slot] = hits;
    return hits;
  }

  /**
   * The question's contexts: every list fused by reciprocal rank as the agent fuses its
   * multi-query results, top `k`, then any cited chunk ranked lower (it was shown, so it counts).
   */
  take(k: number, citedChunkIds: readonly string[]): SearchHit[] {
    const fused = fuseByRank(this.lists);
    this.lists = [];
    const top = fused.slice(0, k);
    const inTop = new Set(top.map((h) => h.chunk.id));
    const cited = new Set(citedChunkIds);
    return [...top, ...fused.slice(k).filter((h) => cited.has(h.chunk.id) && !inTop.has(h.chunk.id))];
  }
}
