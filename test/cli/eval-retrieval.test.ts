import { describe, expect, it } from 'vitest';
import { FIXTURE } from '../eval/answers/helpers.js';
import { cairn, cliWithEmbeddings } from './helpers.js';

describe('cairn eval retrieval --dataset', () => {
  cliWithEmbeddings();

  it('prints one JSON object with a row per run over the judged queries, and reuses its index on a second run', async () => {
    const first = await cairn('eval', 'retrieval', '--dataset', FIXTURE, '--k', '5', '--json');
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as Record<string, Record<string, number> | number | string>;
    expect(report).toMatchObject({ dataset: 'eval-answers', queries: 4, docs: 7, reranker: 'lexical' });
    for (const run of ['dense', 'sparse', 'hybrid', 'reranked']) {
      expect(Object.keys(report[run] as object)).toEqual(['recall@5', 'mrr@10', 'ndcg@10']);
    }
    // The fixture's questions share words with their gold documents: BM25 must find them.
    expect((report.sparse as Record<string, number>)['ndcg@10']).toBeGreaterThan(0.5);
    const second = await cairn('eval', 'retrieval', '--dataset', FIXTURE, '--k', '5', '--json');
    expect(JSON.parse(second.stdout)).toEqual(report);
    expect(first.stderr).toMatch(/embedding/);
    expect(second.stderr).not.toMatch(/embedding/);
  });
});
