import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AnswerReply, AnswerRequest, Turn } from '../../src/core/answer.js';
import type { FeedbackStore } from '../../src/feedback/feedback-store.js';

export async function scratchDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cairn-feedback-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function request(question: string, history: Turn[] = [], platform: AnswerRequest['platform'] = 'slack'): AnswerRequest {
  return { question, asker: { id: 'U1' }, platform, channelId: 'C42', history, accessGroups: ['public'] };
}

export function reply(text: string, citations: AnswerReply['citations'] = []): AnswerReply {
  return { text, citations, grounding: { verdict: 'supported', confidence: 0.9 }, mode: 'agent', toolsUsed: [], llm: { calls: 1, promptTokens: 1, completionTokens: 1 }, timingsMs: {} };
}

export const LEAVE_CITATION = { n: 1, title: 'Annual leave', source: 'docs/hr/leave.md', snippet: 'All employees are entitled to 25 days…', chunkId: 'docs/hr/leave.md#0' };

/** Remembers an answer and records the given votes on it ("U1:up", "U2:down"). */
export async function answerAndVote(store: FeedbackStore, id: string, req: AnswerRequest, rep: AnswerReply, votes: string[], at = '2025-03-01T10:00:00.000Z'): Promise<void> {
  store.remember(req, rep, id);
  for (const v of votes) {
    const [userId, vote] = v.split(':') as [string, 'up' | 'down'];
    await store.record({ requestId: id, platform: req.platform, channelId: req.channelId, userId, vote, at });
  }
}
