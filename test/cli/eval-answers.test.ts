import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE } from '../eval/answers/helpers.js';
import { cairn, cliWithEmbeddings } from './helpers.js';

describe('cairn eval answers --dataset (no language model configured)', () => {
  const s = cliWithEmbeddings({ RETRIEVE_K: '4' });

  it('prints the judge-free summary as JSON and writes the JSON and HTML reports', async () => {
    const out = path.join(s.dir, 'reports');
    const run = await cairn('eval', 'answers', '--dataset', FIXTURE, '--json', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      source: 'dataset', dataset: 'eval-answers', mode: 'extractive', judge: null, questions: 5, answerable: 4, k: 4,
      needsJudge: ['faithfulness', 'answer_relevancy', 'context_precision', 'context_recall', 'citation_precision'],
      averages: { gold_doc_cited: { n: 4 }, declines_unanswerable: { mean: 1, n: 1 }, citations_resolve: { mean: 1, n: 5 } },
      reports: { json: path.join(out, 'answers-report.json'), html: path.join(out, 'answers-report.html') },
    });
    expect(summary).not.toHaveProperty('rows');
    expect(run.stderr).toContain('answers: 5/5');
    const report = JSON.parse(await readFile(path.join(out, 'answers-report.json'), 'utf8')) as { rows: Array<{ id: string }> };
    expect(report.rows.map((r) => r.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
    expect(await readFile(path.join(out, 'answers-report.html'), 'utf8')).toMatch(/^<!doctype html>[\s\S]*<svg[\s\S]*<\/html>$/);
  });

  it('prints a table by default and writes under the data directory without --out', async () => {
    const run = await cairn('eval', 'answers', '--dataset', FIXTURE, '--limit', '2');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^eval-answers: 2 questions \(2 answerable\); agent extractive; judge none/);
    expect(run.stdout).toMatch(/gold doc cited\s+\d\.\d{4}\s+2/);
    expect(run.stdout).toContain('needs a judge (not computed): faithfulness, answer_relevancy');
    expect(run.stdout).toContain(path.join(s.dir, 'eval', 'reports', 'eval-answers-'));
  });

  it('wants exactly one of --dataset and --from-feedback', async () => {
    const both = await cairn('eval', 'answers', '--dataset', FIXTURE, '--from-feedback');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give either --dataset DIR or --from-feedback [DIR]');
    expect((await cairn('eval', 'answers')).code).toBe(2);
  });
});
