import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FeedbackStore } from '../../src/feedback/feedback-store.js';
import { FIXTURE } from '../eval/answers/helpers.js';
import { answerAndVote, reply, request } from '../feedback/helpers.js';
import { cairn, cliWithEmbeddings } from './helpers.js';

const DOCS = path.join(FIXTURE, 'docs');
const LEAVE_SOURCE = `${DOCS}/hr/leave.md`;
const citation = { n: 1, title: 'Annual leave', source: LEAVE_SOURCE, snippet: 'All employees are entitled to 25 days…', chunkId: `${LEAVE_SOURCE}#0` };

describe('cairn feedback export, eval answers --from-feedback and export sft', () => {
  const s = cliWithEmbeddings();
  beforeEach(async () => {
    const ingest = await cairn('ingest', DOCS);
    expect(ingest.code, ingest.stderr).toBe(0);
    const store = new FeedbackStore(s.dir);
    try {
      await answerAndVote(store, 'down-1', request('How many days of paid annual leave do employees get per year?'), reply('Employees get 30 days [1].', [citation]), ['U1:down']);
      await store.record({ requestId: 'down-1', platform: 'slack', channelId: 'C42', userId: 'U1', vote: 'down', reason: 'it is 25 days', at: '2025-03-01T10:01:00.000Z' });
      await answerAndVote(store, 'up-2', request('Who do I mail about leave? I am bob@example.org'), reply('Ask the HR team in the HR portal [1].', [citation]), ['U1:up', 'U2:up']);
      await answerAndVote(store, 'up-1', request('Where do I request leave?'), reply('In the HR portal [1].', [citation]), ['U1:up']);
    } finally {
      store.close();
    }
  });

  it('exports each 👎 as a dataset row with the passages’ full text, and replays it through the agent', async () => {
    const out = path.join(s.dir, 'cases');
    const exported = await cairn('feedback', 'export', '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('Wrote 1 eval case to');
    expect(exported.stdout).toContain('(1 of 1 passages with full text');
    const answers = (await readFile(path.join(out, 'answers.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { _id: string; rejected_answer: string; reasons: string[]; contexts: Array<{ text: string }> });
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ _id: 'down-1', rejected_answer: 'Employees get 30 days [1].', reasons: ['it is 25 days'] });
    expect(answers[0]!.contexts[0]!.text).toContain('Request leave in the HR portal at least two weeks in advance.');

    for (const from of [[out], []]) {
      const replay = await cairn('eval', 'answers', '--from-feedback', ...from, '--json', '--out', path.join(s.dir, 'replay'));
      expect(replay.code, replay.stderr).toBe(0);
      const summary = JSON.parse(replay.stdout) as { source: string; questions: number; averages: Record<string, { mean: number }> };
      expect(summary).toMatchObject({ source: 'feedback', questions: 1, averages: { differs_from_rejected: { mean: 1 }, cited: { mean: 1 }, declines_answerable: { mean: 0 } } });
    }
  });

  it('writes 👍 conversations as messages JSONL, filtered by votes and date', async () => {
    const file = path.join(s.dir, 'sft', 'train.jsonl');
    const all = await cairn('export', 'sft', '--out', file);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe(`Wrote 2 conversations (groups: public) to ${file}.\n`);
    const strict = await cairn('export', 'sft', '--out', file, '--min-votes', '2');
    expect(strict.stdout).toBe(`Wrote 1 conversation (groups: public) to ${file}.\n`);
    const [line] = (await readFile(file, 'utf8')).trim().split('\n');
    const example = JSON.parse(line!) as { messages: Array<{ role: string; content: string }> };
    expect(example.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
    expect(example.messages[1]!.content).toContain('I am [EMAIL]');
    expect(example.messages[1]!.content).toContain('Request leave in the HR portal at least two weeks in advance.');
    expect((await cairn('export', 'sft', '--out', file, '--since', '2999-01-01')).stdout).toBe(`Wrote 0 conversations (groups: public) to ${file}.\n`);
    const bad = await cairn('export', 'sft', '--out', file, '--since', 'last tuesday');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('expected an ISO date');
  });

  it('exports only answers that drew on the public groups unless --groups names more, and says what it left out', async () => {
    const store = new FeedbackStore(s.dir);
    try {
      const hr = { ...request('What is the bonus?'), channelId: 'CHR', accessGroups: ['hr'] };
      await answerAndVote(store, 'up-hr', hr, reply('The bonus is 12% [1].', [{ ...citation, accessGroup: 'hr' }]), ['U1:up']);
    } finally {
      store.close();
    }
    const file = path.join(s.dir, 'sft', 'train.jsonl');
    const publicOnly = await cairn('export', 'sft', '--out', file);
    expect(publicOnly.stdout).toBe(
      `Wrote 2 conversations (groups: public) to ${file}.\nLeft out: 1 drawing on groups beyond public (name them with --groups to include them).\n`,
    );
    expect(await readFile(file, 'utf8')).not.toContain('12%');
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { metadata: unknown });
    expect(lines.every((l) => JSON.stringify(l.metadata) === JSON.stringify({ cited_groups: [], conversation_groups: ['public'] }))).toBe(true);

    const withHr = await cairn('export', 'sft', '--out', file, '--groups', 'public,hr');
    expect(withHr.stdout).toBe(`Wrote 3 conversations (groups: public, hr) to ${file}.\n`);
    const hrLine = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { metadata: unknown; messages: Array<{ content: string }> })
      .find((l) => l.messages.at(-1)!.content.includes('12%'));
    expect(hrLine?.metadata).toEqual({ cited_groups: ['hr'], conversation_groups: ['hr'] });
    expect((await cairn('export', 'sft', '--out', file, '--groups', 'not a group')).stderr).toContain('expected access group names');
  });
});
