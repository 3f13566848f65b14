import type { SearchHit, SearchMode } from './search.js';

export interface RetrieveOptions {
  k: number;
  /** Only documents in these access groups may come back. */
  accessGroups: string[];
  mode?: SearchMode;
  sources?: string[];
  /** Called when the dense index is being rebuilt, so this search's results are keyword-only. */
  onKeywordOnly?: () => void;
}

/** What the agent searches with: query in, ranked chunks out (embedding, fusion and reranking inside). */
export interface Retriever {
  search(query: string, options: RetrieveOptions): Promise<SearchHit[]>;
}

/** Re-scores candidates for one query. `id` is shown by /cairn-status. */
export interface Reranker {
  readonly id: string;
  /** How many of the fused candidates it re-scores, whatever the number of results asked for. */
  readonly candidates: number;
  rerank(query: string, hits: SearchHit[], k: number): Promise<SearchHit[]>;
}
