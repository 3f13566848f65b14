import { describe, expect, it } from 'vitest';
import { documentRanking, dropIdenticalId, evaluateRuns, ndcgAt, reciprocalRankAt, recallAt } from '../../src/eval/metrics.js';

const judged = new Map([['a', 2], ['b', 1]]);

describe('retrieval metrics', () => {
  it('computes graded nDCG@10 with linear gain and a log2 discount', () => {
    // DCG = 1/log2(2) + 2/log2(4) = 2; IDCG = 2/1 + 1/log2(3)
    const expected = 2 / (2 + 1 / Math.log2(3));
    expect(ndcgAt(['b', 'x', 'a'], judged, 10)).toBeCloseTo(expected, 10);
    expect(ndcgAt(['a', 'b'], judged, 10)).toBeCloseTo(1, 10);
    expect(ndcgAt(['x', 'y'], judged, 10)).toBe(0);
  });

  it('counts recall within k and the reciprocal rank of the first relevant document', () => {
    expect(recallAt(['a', 'x', 'b'], judged, 2)).toBe(0.5);
    expect(reciprocalRankAt(['x', 'y', 'b'], judged, 10)).toBeCloseTo(1 / 3, 10);
    expect(reciprocalRankAt(['x'], judged, 10)).toBe(0);
  });

  it('ranks a document where its best chunk ranks', () => {
    expect(documentRanking(['d1', 'd2', 'd1', 'd3', 'd2'])).toEqual(['d1', 'd2', 'd3']);
  });

  it('averages over queries with judgements and scores a query with no run as zero', () => {
    const qrels = new Map([['q1', new Map([['a', 1]])], ['q2', new Map([['b', 1]])], ['q3', new Map([['c', 0]])]]);
    const m = evaluateRuns(new Map([['q1', ['a']]]), qrels, 10);
    expect(m.queries).toBe(2);
    expect(m['ndcg@10']).toBe(0.5);
    expect(m['mrr@10']).toBe(0.5);
  });

  it("drops a hit whose document id is the query's own id, as BEIR's EvaluateRetrieval does", () => {
    const judgedQ1 = new Map([['d2', 1]]);
    const ranking = ['q1', 'd2', 'd3'];
    expect(dropIdenticalId('q1', ranking)).toEqual(['d2', 'd3']);
    // The query finding itself first would otherwise cost the relevant document its first place.
    expect(reciprocalRankAt(dropIdenticalId('q1', ranking), judgedQ1, 10)).toBe(1);
    expect(reciprocalRankAt(ranking, judgedQ1, 10)).toBe(0.5);
    expect(dropIdenticalId('q9', ranking)).toEqual(ranking);
  });
});
