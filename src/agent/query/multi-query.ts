import type { Reranker, Retriever } from '../../core/retriever.js';
import type { SearchHit } from '../../core/search.js';
import { fuseByRank } from '../../retrieval/fusion.js';

export interface MultiQueryOptions {
  k: number;
  accessGroups: string[];
  /** Re-scores the merged pool against `rerankQuery`; without it the pool is ordered by fused rank. */
  reranker?: Reranker;
  rerankQuery: string;
}

/**
 * Searches every query (each already filtered by access group and reranked by the retriever),
 * merges the lists, and any already `known`, by reciprocal rank (their scores are not
 * comparable), drops repeats by chunk id, and keeps the top k after an optional rerank of the
 * pool against one query.
 */
export async function searchQueries(
  retriever: Retriever,
  queries: readonly string[],
  opts: MultiQueryOptions,
  known: ReadonlyArray<readonly SearchHit[]> = [],
): Promise<SearchHit[]> {
  const distinct = [...new Set(queries.map((q) => q.trim()).filter((q) => q.length > 0))];
  const searched = await Promise.all(distinct.map((q) => retriever.search(q, { k: opts.k, accessGroups: opts.accessGroups })));
  const lists = [...known, ...searched];
  if (lists.length === 1) return (lists[0] ?? []).slice(0, opts.k);
  const merged = fuseByRank(lists);
  if (opts.reranker && merged.length > 0) return opts.reranker.rerank(opts.rerankQuery, merged, opts.k);
  return merged.slice(0, opts.k);
}
