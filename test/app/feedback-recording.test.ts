import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECORDER_BUSY_TIMEOUT_MS, recordingAnswerer, recordingAnswers, recordingVotes } from '../../src/app/feedback-recording.js';
import { ChatService } from '../../src/chat/shared/chat-service.js';
import type { AnswerReply } from '../../src/core/answer.js';
import { FeedbackStore } from '../../src/feedback/feedback-store.js';
import { Metrics } from '../../src/observability/metrics.js';

const QUESTION = 'What is the parental leave for the Zephyr project team?';
const ANSWER = 'Parents on the Zephyr team get 16 weeks [1].';

function reply(): AnswerReply {
  return {
    text: ANSWER, citations: [{ n: 1, title: 'Parental leave', source: 'hr/parental.md', snippet: '16 weeks', chunkId: 'hr/parental.md#0' }],
    grounding: { verdict: 'supported', confidence: 0.9 }, mode: 'agent', toolsUsed: [], llm: { calls: 1, promptTokens: 1, completionTokens: 1 }, timingsMs: {},
  };
}

/**
 * feedback.sqlite held by another connection (a long export, a backup tool, a stuck process) must
 * not cost anyone their answer: before, each answer waited out SQLite's 5 s busy timeout, blocking
 * the whole process, and then became "something went wrong".
 */
describe('recording answers and votes while feedback.sqlite is locked', () => {
  let dir = '';
  let store: FeedbackStore;
  let locker: Database.Database;
  let metrics: Metrics;
  let logs: string[];
  let chat: ChatService;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cairn-feedback-lock-'));
    store = new FeedbackStore(dir, { busyTimeoutMs: RECORDER_BUSY_TIMEOUT_MS });
    locker = new Database(path.join(dir, 'feedback.sqlite'));
    locker.exec('BEGIN EXCLUSIVE');
    metrics = new Metrics({ defaultMetrics: false });
    logs = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
    chat = new ChatService({
      answerer: recordingAnswerer({ answer: async () => reply() }, store, metrics, logger),
      config: { access: { channels: {}, users: {}, publicGroups: ['public'], webSearchWithPrivateGroups: false }, limits: { maxQuestionChars: 4000, ratePerMinute: 100, queueConcurrency: 4, queueMax: 100, attachmentMaxBytes: 5 * 1024 * 1024 } },
      logger,
    });
  });

  afterEach(async () => {
    if (locker.inTransaction) locker.exec('ROLLBACK');
    locker.close();
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ask = () => chat.ask({ platform: 'slack', channelId: 'C1', userId: 'U1', text: QUESTION, audience: { kind: 'conversation', channelId: 'C1' }, history: [] });

  it('sends the answer at once, logs the failure at warn without content, and counts it', async () => {
    const started = Date.now();
    const outcome = await ask();
    const ms = Date.now() - started;

    expect(outcome).toMatchObject({ kind: 'answer', reply: { text: ANSWER } });
    expect(ms).toBeLessThan(2000);
    const metricsText = (await metrics.render()).body;
    expect(metricsText).toMatch(/cairn_feedback_write_failures_total\{what="answer"\} 1/);
    const warned = logs.map((l) => JSON.parse(l) as { level: number; msg: string; code?: string }).filter((l) => l.level === 40);
    expect(warned).toEqual([expect.objectContaining({ msg: 'could not record the answer in the feedback store; it was sent anyway', code: 'SQLITE_BUSY' })]);
    expect(logs.join('\n')).not.toMatch(/Zephyr|16 weeks/);
  });

  it('a vote that cannot be written rejects (for the surface to tell the user) and is counted; writes resume once the lock is gone', async () => {
    const outcome = await ask();
    const votes = recordingVotes(store, metrics, pino({ level: 'silent' }));
    const vote = { requestId: outcome.requestId, platform: 'slack' as const, channelId: 'C1', userId: 'U2', vote: 'down' as const, at: new Date().toISOString() };
    await expect(votes.record(vote)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect((await metrics.render()).body).toMatch(/cairn_feedback_write_failures_total\{what="vote"\} 1/);

    locker.exec('ROLLBACK');
    const next = await ask();
    await votes.record({ ...vote, requestId: next.requestId });
    expect(store.voted({ vote: 'down' }).map((e) => e.requestId)).toEqual([next.requestId]);
  });
});

describe('recordingAnswers: what the Share and "Still need help?" buttons call', () => {
  let dir = '';
  let store: FeedbackStore;
  let metrics: Metrics;
  const logger = pino({ level: 'silent' });
  const handOff = (userId: string) => ({ requestId: 'r1', platform: 'discord' as const, channelId: 'C1', userId, at: '2025-03-01T10:00:00.000Z' });
  const count = async () => (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'cairn_handoffs_total')?.values ?? [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cairn-answer-records-'));
    store = new FeedbackStore(dir);
    metrics = new Metrics({ defaultMetrics: false });
  });
  afterEach(async () => {
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a recorded answer with its citations and verdict, and null for an unknown one', async () => {
    store.remember({ question: QUESTION, asker: { id: 'U1' }, platform: 'slack', channelId: 'C1', history: [], accessGroups: ['hr'] }, reply(), 'r1');
    const answers = recordingAnswers(store, metrics, logger);
    expect(await answers.find('r1')).toEqual({ requestId: 'r1', platform: 'slack', channelId: 'C1', question: QUESTION, text: ANSWER, citations: reply().citations, verdict: 'supported' });
    expect(await answers.find('r2')).toBeNull();
  });

  it('posts and counts the first hand-off only; a failed post gives the claim back and is not counted', async () => {
    const answers = recordingAnswers(store, metrics, logger);
    const posts: string[] = [];
    await expect(answers.handOff(handOff('U1'), async () => Promise.reject(new Error('not_in_channel')))).rejects.toThrow('not_in_channel');
    expect(await count()).toEqual([]);
    expect(await answers.handOff(handOff('U1'), async () => void posts.push('U1'))).toBe('handed_off');
    expect(await answers.handOff(handOff('U2'), async () => void posts.push('U2'))).toBe('already');
    expect(posts).toEqual(['U1']);
    expect(await count()).toEqual([expect.objectContaining({ labels: { platform: 'discord' }, value: 1 })]);
  });

  it('rejects, counted, when the store cannot be written, without posting', async () => {
    const answers = recordingAnswers(store, metrics, logger);
    store.close();
    let posted = false;
    await expect(answers.handOff(handOff('U1'), async () => void (posted = true))).rejects.toThrow();
    expect(posted).toBe(false);
    expect((await metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'cairn_feedback_write_failures_total')?.values).toEqual([expect.objectContaining({ labels: { what: 'handoff' }, value: 1 })]);
    store = new FeedbackStore(dir);
  });
});
