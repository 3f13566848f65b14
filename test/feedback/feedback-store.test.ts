import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedbackStore } from '../../src/feedback/feedback-store.js';
import { exportVerdict } from '../../src/feedback/sft-export.js';
import { answerAndVote, LEAVE_CITATION, reply, request, scratchDir } from './helpers.js';

describe('FeedbackStore eval cases', () => {
  let s: Awaited<ReturnType<typeof scratchDir>>;
  let store: FeedbackStore;
  beforeEach(async () => {
    s = await scratchDir();
    store = new FeedbackStore(s.dir);
  });
  afterEach(async () => {
    store.close();
    await s.cleanup();
  });

  it('turns every 👎 answer into a dataset row with question, thread, answer, passages, channel, time and reasons', async () => {
    const history = [{ role: 'user' as const, text: 'hi, leave question' }, { role: 'assistant' as const, text: 'Sure, ask away [1].' }];
    await answerAndVote(store, 'r1', request('How many leave days?', history), reply('You get 30 days [1].', [LEAVE_CITATION]), ['U1:down', 'U2:down']);
    await answerAndVote(store, 'r2', request('Where is the VPN profile?'), reply('In the IT portal.'), ['U1:up']);
    await store.record({ requestId: 'r1', platform: 'slack', channelId: 'C42', userId: 'U1', vote: 'down', reason: 'wrong number of days', at: '2025-03-01T10:01:00.000Z' });

    const cases = store.evalCases();
    expect(cases).toHaveLength(1);
    expect(cases[0]!.query).toEqual({
      _id: 'r1',
      text: 'How many leave days?',
      metadata: { context: 'hi, leave question', history, platform: 'slack', channel: 'C42', at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), access_groups: ['public'] },
    });
    expect(cases[0]!.answer).toEqual({
      _id: 'r1', kind: 'feedback', rejected_answer: 'You get 30 days [1].', reasons: ['wrong number of days'], votes: { up: 0, down: 2 }, grounding: 'supported',
      contexts: [{ n: 1, title: 'Annual leave', source: 'docs/hr/leave.md', chunk_id: 'docs/hr/leave.md#0', text: 'All employees are entitled to 25 days…' }],
    });
  });

  it('opens a file written before exchanges kept their access groups, and records them from then on', async () => {
    store.close();
    const file = path.join(s.dir, 'feedback.sqlite');
    const old = new Database(file);
    old.exec(`DROP TABLE exchanges; CREATE TABLE exchanges (
      request_id TEXT PRIMARY KEY, platform TEXT NOT NULL, channel_id TEXT NOT NULL, question TEXT NOT NULL,
      history TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, verdict TEXT NOT NULL, at TEXT NOT NULL)`);
    old.close();
    store = new FeedbackStore(s.dir);
    await answerAndVote(store, 'r1', request('How many leave days?'), reply('You get 30 days [1].', [LEAVE_CITATION]), ['U1:down']);
    expect(store.evalCases()[0]!.query.metadata.access_groups).toEqual(['public']);
  });

  it('takes a reason given after the click and keeps it when the vote is clicked again', async () => {
    await answerAndVote(store, 'r1', request('Q?'), reply('A.'), ['U1:down']);
    await store.record({ requestId: 'r1', platform: 'slack', channelId: 'C42', userId: 'U1', vote: 'down', reason: 'cites the wrong page', at: '2025-03-01T10:01:00.000Z' });
    await store.record({ requestId: 'r1', platform: 'slack', channelId: 'C42', userId: 'U1', vote: 'down', at: '2025-03-02T00:00:00.000Z' });
    expect(store.evalCases()[0]!.answer.reasons).toEqual(['cites the wrong page']);
  });

  it('filters eval cases by when the answer was given', async () => {
    await answerAndVote(store, 'r1', request('Q?'), reply('A.'), ['U1:down']);
    expect(store.evalCases({ since: '2000-01-01T00:00:00.000Z' })).toHaveLength(1);
    expect(store.evalCases({ since: '2999-01-01T00:00:00.000Z' })).toHaveLength(0);
  });

  it('records each answer’s access groups, and reads a file written before groups were kept as "unknown"', async () => {
    await answerAndVote(store, 'r1', { ...request('Bonus?'), accessGroups: ['hr'] }, reply('12% [1].', [{ ...LEAVE_CITATION, accessGroup: 'hr' }]), ['U1:up']);
    const [recorded] = store.voted({ vote: 'up' });
    expect(recorded).toMatchObject({ accessGroups: ['hr'], citations: [{ accessGroup: 'hr' }] });
    expect(exportVerdict(recorded!, ['public'])).toBe('outside_groups');
    expect(exportVerdict(recorded!, ['public', 'hr'])).toBe('export');
    store.close();

    const old = new Database(path.join(s.dir, 'feedback.sqlite'));
    old.exec(`CREATE TABLE legacy AS SELECT request_id, platform, channel_id, question, history, answer, citations, verdict, at FROM exchanges;
      DROP TABLE exchanges; ALTER TABLE legacy RENAME TO exchanges;`);
    old.close();
    store = new FeedbackStore(s.dir);
    const [legacy] = store.voted({ vote: 'up' });
    expect(legacy!.accessGroups).toBeNull();
    expect(exportVerdict(legacy!, ['public', 'hr'])).toBe('groups_unknown');
  });
});
