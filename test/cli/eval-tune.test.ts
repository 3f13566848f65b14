import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE } from '../eval/answers/helpers.js';
import { cairn, cliWithEmbeddings } from './helpers.js';

describe('cairn eval tune', () => {
  const s = cliWithEmbeddings();

  it('prints the sweep best first and writes the winner into an env file, keeping its other lines', async () => {
    const envFile = path.join(s.dir, 'tuned.env');
    fs.writeFileSync(envFile, '# mine\nLOG_LEVEL=warn\nFUSION_DENSE_WEIGHT=0.9\n');
    const run = await cairn('eval', 'tune', '--dataset', FIXTURE, '--k', '5', '--json', '--write', envFile);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { queries: number; rows: Array<{ setting: { fusion: string; denseWeight: number; rrfK: number; rerank: boolean }; metrics: Record<string, number>; current: boolean }>; written: Record<string, string> };
    expect(report.queries).toBe(4);
    expect(report.rows.length).toBe(38);
    const ndcg = report.rows.map((r) => r.metrics['ndcg@10']!);
    expect(ndcg).toEqual([...ndcg].sort((a, b) => b - a));
    // EMBEDDER=openai with nothing else set runs the endpoint default, linear 0.7, reranked.
    expect(report.rows.filter((r) => r.current).map((r) => r.setting)).toEqual([{ fusion: 'linear', denseWeight: 0.7, rrfK: 60, rerank: true }]);
    const best = report.rows[0]!.setting;
    expect(report.written).toMatchObject({ FUSION: best.fusion, FUSION_DENSE_WEIGHT: String(best.denseWeight) });
    const lines = fs.readFileSync(envFile, 'utf8').trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['# mine', 'LOG_LEVEL=warn', `FUSION_DENSE_WEIGHT=${best.denseWeight}`]);
    expect(lines).toContain(`FUSION=${best.fusion}`);
    expect(run.stderr).toMatch(/settings: 38\/38/);
  });

  it('sweeps labelled 👎 questions over the live index, and says how to label them when qrels are missing', async () => {
    const folder = path.join(s.dir, 'feedback');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'queries.jsonl'), '{"_id":"r1","text":"how do I rotate a token"}\n');
    const missing = await cairn('eval', 'tune', '--from-feedback', folder);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/qrels[/\\]test\.tsv: label the questions first/);
    expect(missing.stderr).not.toMatch(/at .*\.js:\d+/);

    const docs = path.join(s.dir, 'docs');
    fs.mkdirSync(docs);
    fs.writeFileSync(path.join(docs, 'tokens.md'), '# Tokens\n\nRotate a token from the admin page: revoke the old one, then issue a new one.\n');
    fs.writeFileSync(path.join(docs, 'lunch.md'), '# Lunch\n\nThe canteen opens at noon.\n');
    expect((await cairn('ingest', docs)).code).toBe(0);
    fs.mkdirSync(path.join(folder, 'qrels'));
    fs.writeFileSync(path.join(folder, 'qrels', 'test.tsv'), `query-id\tcorpus-id\tscore\nr1\t${docs}/tokens.md\t1\n`);
    const run = await cairn('eval', 'tune', '--from-feedback', folder, '--k', '5');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^1 judged question, 38 settings/);
    expect(run.stdout).toMatch(/← current/);
    expect(run.stdout).toMatch(/Only 1 question:/);
  });

  it('refuses both or neither of --dataset and --from-feedback', async () => {
    const neither = await cairn('eval', 'tune');
    expect(neither.code).not.toBe(0);
    expect(neither.stderr).toMatch(/either --dataset DIR or --from-feedback DIR/);
  });
});
