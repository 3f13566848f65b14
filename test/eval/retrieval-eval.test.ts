import { describe, expect, it } from 'vitest';
import type { Retriever } from '../../src/core/retriever.js';
import { scoreRetriever } from '../../src/eval/retrieval-eval.js';
import { chunk } from '../agent/helpers.js';

/**
 * Like the hybrid store: asked for more than the 100 candidates a side the bot fuses, it fuses
 * longer lists and ranks differently. Here the relevant document drops from first to 12th.
 */
const deeperRanksOtherwise: Retriever = {
  async search(_query, { k }) {
    const others = Array.from({ length: 150 }, (_, i) => `other-${i}`);
    const docs = k <= 100 ? ['gold', ...others] : [...others.slice(0, 11), 'gold', ...others.slice(11)];
    return docs.slice(0, k).map((d, i) => ({ chunk: chunk(d, `${d}#0`, d), score: 1 - i / 1000 }));
  },
};

const judged = { queries: [{ id: 'q1', text: 'which one?' }], qrels: new Map([['q1', new Map([['gold', 1]])]]) };

describe('scoreRetriever', () => {
  it('scores nDCG@10 and MRR@10 on the ranking the bot gets, whatever the recall cut-off', async () => {
    for (const k of [10, 100, 500]) {
      const { metrics } = await scoreRetriever(judged, deeperRanksOtherwise, 'hybrid', k, ['public']);
      expect(metrics['ndcg@10'], `k ${k}`).toBe(1);
      expect(metrics['mrr@10'], `k ${k}`).toBe(1);
      expect(metrics[`recall@${k}`], `k ${k}`).toBe(1);
    }
  });
});
