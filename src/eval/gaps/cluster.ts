import { agnes } from 'ml-hclust';
import { cosine } from '../answers/judge-scores.js';

/**
 * Groups vectors whose average cosine distance stays under `maxDistance` (average-linkage
 * agglomerative clustering, cut at that height): the number of groups follows from the data, which
 * a gaps report cannot know in advance. Returns groups of input indices, largest first.
 */
export function clusterByCosine(vectors: readonly Float32Array[], maxDistance: number): number[][] {
  if (vectors.length === 0) return [];
  if (vectors.length === 1) return [[0]];
  const tree = agnes([...vectors], { method: 'average', distanceFunction: (a: Float32Array, b: Float32Array) => 1 - cosine(a, b) });
  return tree
    .cut(maxDistance)
    .map((c) => c.indices().sort((a, b) => a - b))
    .sort((a, b) => b.length - a.length || a[0]! - b[0]!);
}
