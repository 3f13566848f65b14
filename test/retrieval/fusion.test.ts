import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../src/core/search.js';
import { fuse, fuseByRank, fuseLinear, fuseRrf, RRF_K, type Ranked } from '../../src/retrieval/fusion.js';
import { chunk } from '../agent/helpers.js';

const SPARSE: Array<Ranked<string>> = [
  { id: 'a', score: 10 },
  { id: 'b', score: 6 },
  { id: 'c', score: 2 },
];
const DENSE: Array<Ranked<string>> = [
  { id: 'b', score: 0.9 },
  { id: 'd', score: 0.5 },
  { id: 'a', score: 0.1 },
];

function expectRanked(actual: Array<Ranked<string>>, expected: Array<[string, number]>): void {
  expect(actual.map((r) => r.id)).toEqual(expected.map(([id]) => id));
  actual.forEach((r, i) => expect(r.score).toBeCloseTo(expected[i]![1], 10));
}

describe('fuseLinear', () => {
  it('blends min-max normalised scores, absent counting as 0', () => {
    // sparse' a=1 b=0.5 c=0; dense' b=1 d=0.5 a=0
    expectRanked(fuseLinear(SPARSE, DENSE, 0.25), [
      ['a', 0.75],
      ['b', 0.75 * 0.5 + 0.25],
      ['d', 0.125],
      ['c', 0],
    ]);
  });

  it('is the sparse order at α = 0 and the dense order at α = 1', () => {
    expect(fuseLinear(SPARSE, DENSE, 0).slice(0, 3).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(fuseLinear(SPARSE, DENSE, 1).slice(0, 3).map((r) => r.id)).toEqual(['b', 'd', 'a']);
  });

  it('maps a list of equal scores to 1 and keeps first-seen order on ties', () => {
    const tied = [
      { id: 'x', score: 3 },
      { id: 'y', score: 3 },
    ];
    expectRanked(fuseLinear(tied, [{ id: 'z', score: 0.4 }], 0.5), [
      ['x', 0.5],
      ['y', 0.5],
      ['z', 0.5],
    ]);
  });

  it('handles empty sides', () => {
    expect(fuseLinear([], [], 0.1)).toEqual([]);
    expectRanked(fuseLinear([], DENSE, 0.1), [
      ['b', 0.1],
      ['d', 0.1 * 0.5],
      ['a', 0],
    ]);
    expectRanked(fuseLinear(SPARSE, [], 0.1), [
      ['a', 0.9],
      ['b', 0.45],
      ['c', 0],
    ]);
  });
});

describe('fuseRrf', () => {
  it('sums 1/(k + rank) with the dense side weighted', () => {
    expectRanked(fuseRrf(SPARSE, DENSE, { k: 2, denseWeight: 0.5 }), [
      ['a', 1 / 3 + 0.5 / 5],
      ['b', 1 / 4 + 0.5 / 3],
      ['c', 1 / 5],
      ['d', 0.5 / 4],
    ]);
  });

  it('uses the constant it is given: k changes the order', () => {
    // A large k flattens rank differences: b (2nd + 1st) beats a (1st + 3rd); a small k favours a's first place.
    const k60 = fuseRrf(SPARSE, DENSE, { k: 60, denseWeight: 1 });
    expect(k60[0]!.id).toBe('b');
    expect(k60[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(fuseRrf(SPARSE, DENSE, { k: 1, denseWeight: 0.4 })[0]!.id).toBe('a');
  });

  it('ignores the dense side at weight 0 and handles empty sides', () => {
    expect(fuseRrf(SPARSE, DENSE, { k: 60, denseWeight: 0 }).slice(0, 3).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(fuseRrf([], [], { k: 60, denseWeight: 1 })).toEqual([]);
    expectRanked(fuseRrf([], DENSE.slice(0, 2), { k: 60, denseWeight: 0.5 }), [
      ['b', 0.5 / 61],
      ['d', 0.5 / 62],
    ]);
  });
});

describe('fuse', () => {
  it('dispatches on the configured method', () => {
    const opts = { denseWeight: 0.5, rrfK: 2, candidates: 10 };
    expect(fuse(SPARSE, DENSE, { method: 'rrf', ...opts })).toEqual(fuseRrf(SPARSE, DENSE, { k: 2, denseWeight: 0.5 }));
    expect(fuse(SPARSE, DENSE, { method: 'linear', ...opts })).toEqual(fuseLinear(SPARSE, DENSE, 0.5));
  });
});

const hit = (id: string, score = 1): SearchHit => ({ chunk: chunk(id, id, id), score });

describe('fuseByRank', () => {
  it('ranks what several lists agree on first, once per chunk, whatever the raw scores', () => {
    const fused = fuseByRank([
      [hit('a', 100), hit('b', 50)],
      [hit('b', 0.9), hit('c', 0.8)],
      [hit('b', 3)],
    ]);
    expect(fused.map((h) => h.chunk.id)).toEqual(['b#0', 'a#0', 'c#0']);
  });

  it('scores as fuseRrf does with k = RRF_K and equal weights: 1/(k + rank), rank from 1', () => {
    const fused = fuseByRank([[hit('a'), hit('b')], [hit('b'), hit('c')]]);
    const rrf = fuseRrf(
      [{ id: 'a#0', score: 1 }, { id: 'b#0', score: 1 }],
      [{ id: 'b#0', score: 1 }, { id: 'c#0', score: 1 }],
      { k: RRF_K, denseWeight: 1 },
    );
    expect(fused.map((h) => [h.chunk.id, h.score])).toEqual(rrf.map((r) => [r.id, r.score]));
  });
});
