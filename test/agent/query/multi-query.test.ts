import { describe, expect, it } from 'vitest';
import { searchQueries } from '../../../src/agent/query/multi-query.js';
import type { Reranker } from '../../../src/core/retriever.js';
import type { SearchHit } from '../../../src/core/search.js';
import { chunk, InTestRetriever } from '../helpers.js';

const hit = (id: string, score = 1): SearchHit => ({ chunk: chunk(id, id, id), score });

describe('searchQueries', () => {
  it('searches each distinct query with the asker’s groups, merges with known lists, and keeps k', async () => {
    const retriever = new InTestRetriever();
    const hits = await searchQueries(retriever, ['VPN WireGuard', 'VPN WireGuard', ' ', 'paid annual leave'], { k: 2, accessGroups: ['public'], rerankQuery: 'q' }, [[hit('known')]]);
    expect(retriever.searches.map((s) => s.query)).toEqual(['VPN WireGuard', 'paid annual leave']);
    expect(retriever.searches.every((s) => s.options.accessGroups.join() === 'public')).toBe(true);
    expect(hits).toHaveLength(2);
  });

  it('lets the reranker order the merged pool against the self-contained question', async () => {
    const seen: Array<{ query: string; ids: string[]; k: number }> = [];
    const reranker: Reranker = {
      id: 'reverse',
      candidates: 30,
      rerank: async (query, pool, k) => {
        seen.push({ query, ids: pool.map((h) => h.chunk.id), k });
        return [...pool].reverse().slice(0, k);
      },
    };
    const retriever = new InTestRetriever();
    const hits = await searchQueries(retriever, ['VPN WireGuard', 'paid annual leave'], { k: 3, accessGroups: ['public'], rerankQuery: 'standalone', reranker });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ query: 'standalone', k: 3 });
    expect(hits.map((h) => h.chunk.id)).toEqual([...seen[0]!.ids].reverse().slice(0, 3));
  });
});
