import type { FusionOptions, SearchHit } from '../../core/search.js';
import { fuse } from '../fusion.js';

/**
 * Which fusions Qdrant can run itself. Qdrant scores RRF as 1 / (k + (r + 1)/w − 1) with r counted
 * from 0 (lib/segment/src/common/reciprocal_rank_fusion.rs). With w = 1 that is 1/(k' + r), which is
 * Cairn's 1/(k + rank) with rank from 1 when k' = k + 1; so plain RRF runs server-side with its
 * constant set explicitly (Qdrant's default is 2). Qdrant's weights divide the rank instead of
 * scaling the term, so Cairn's weighted RRF (w/(k + rank) on the dense side) is not expressible, and
 * neither is min-max linear blending: both fuse client-side over the two branch results.
 */
export function serverSideRrf(fusion: FusionOptions): { rrf: { k: number } } | null {
  return fusion.method === 'rrf' && fusion.denseWeight === 1 ? { rrf: { k: fusion.rrfK + 1 } } : null;
}

/** Client-side fusion of the dense and sparse branch results, with the embedded store's code. */
export function fuseBranches(dense: SearchHit[], sparse: SearchHit[], fusion: FusionOptions): SearchHit[] {
  const byId = new Map<string, SearchHit>();
  for (const hit of [...sparse, ...dense]) if (!byId.has(hit.chunk.id)) byId.set(hit.chunk.id, hit);
  const rank = (hits: SearchHit[]) => hits.map((h) => ({ id: h.chunk.id, score: h.score }));
  return fuse(rank(sparse), rank(dense), fusion).map(({ id, score }) => ({ chunk: byId.get(id)!.chunk, score }));
}
