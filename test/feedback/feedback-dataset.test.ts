import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFeedbackDataset, withFullText, writeFeedbackDataset } from '../../src/feedback/feedback-dataset.js';
import { FeedbackStore } from '../../src/feedback/feedback-store.js';
import { answerAndVote, LEAVE_CITATION, reply, request, scratchDir } from './helpers.js';

describe('feedback datasets', () => {
  let s: Awaited<ReturnType<typeof scratchDir>>;
  beforeEach(async () => { s = await scratchDir(); });
  afterEach(async () => { await s.cleanup(); });

  async function cases() {
    const store = new FeedbackStore(s.dir);
    try {
      await answerAndVote(store, 'r1', request('How many leave days?', [{ role: 'user', text: 'leave question' }]), reply('30 days [1].', [LEAVE_CITATION]), ['U1:down']);
      return store.evalCases();
    } finally {
      store.close();
    }
  }

  it('round-trips through queries.jsonl and answers.jsonl, with full passage text where the index has it', async () => {
    const rows = await cases();
    expect(withFullText(rows, new Map([[LEAVE_CITATION.chunkId, 'All employees are entitled to 25 days of paid annual leave.']]))).toBe(1);
    const out = path.join(s.dir, 'export');
    const files = await writeFeedbackDataset(out, rows);
    expect((await readFile(files.queries, 'utf8')).trim().split('\n')).toHaveLength(1);
    const back = await readFeedbackDataset(out);
    expect(back).toEqual(rows);
    expect(back[0]!.answer.contexts[0]!.text).toBe('All employees are entitled to 25 days of paid annual leave.');
  });

  it('accepts a gold answer added by hand and names the line of a broken row or a missing answer', async () => {
    const out = path.join(s.dir, 'export');
    const files = await writeFeedbackDataset(out, await cases());
    const row = JSON.parse((await readFile(files.answers, 'utf8')).trim()) as Record<string, unknown>;
    await writeFile(files.answers, `${JSON.stringify({ ...row, answer: '25 days.', answerable: true })}\n`);
    expect((await readFeedbackDataset(out))[0]!.answer).toMatchObject({ answer: '25 days.', answerable: true });

    await appendFile(files.queries, '{"_id": "r2", "text": "Orphan?", "metadata": {"platform": "slack", "channel": "C1", "at": "2025-01-01"}}\n');
    await expect(readFeedbackDataset(out)).rejects.toThrow(/answers\.jsonl has no row for question r2/);
    await appendFile(files.queries, 'not json\n');
    await expect(readFeedbackDataset(out)).rejects.toThrow(/queries\.jsonl:3 is not valid JSON/);
    await expect(readFeedbackDataset(path.join(s.dir, 'nowhere'))).rejects.toMatchObject({ code: 'INPUT' });
  });
});
