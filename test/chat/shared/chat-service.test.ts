import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ChatService } from '../../../src/chat/shared/chat-service.js';
import type { AnswerReply, AnswerRequest, Answerer } from '../../../src/core/answer.js';
import { CairnError } from '../../../src/core/errors.js';
import type { IncomingQuestion } from '../../../src/chat/shared/types.js';

const reply = (text: string): AnswerReply => ({
  text, citations: [], grounding: { verdict: 'not_needed', confidence: 1 }, mode: 'agent', toolsUsed: [],
  llm: { calls: 0, promptTokens: 0, completionTokens: 0 }, timingsMs: {},
});

function service(answerer: Answerer, limits: Partial<{ maxQuestionChars: number; ratePerMinute: number; queueConcurrency: number; queueMax: number }> = {}) {
  const errors: string[] = [];
  const chat = new ChatService({
    answerer,
    config: {
      access: { channels: { C1: ['hr'] }, users: { U9: ['hr', 'eng'] }, publicGroups: ['public'], webSearchWithPrivateGroups: false },
      limits: { maxQuestionChars: 100, ratePerMinute: 100, queueConcurrency: 2, queueMax: 50, attachmentMaxBytes: 5 * 1024 * 1024, ...limits },
    },
    logger: pino({ level: 'silent' }),
    onError: (e) => errors.push(e.code),
  });
  return { chat, errors };
}

const q = (over: Partial<IncomingQuestion> = {}): IncomingQuestion => ({
  platform: 'slack', channelId: 'C2', userId: 'U1', text: 'How do I ack?', audience: { kind: 'conversation', channelId: over.channelId ?? 'C2' }, history: [], ...over,
});

describe('ChatService', () => {
  it('passes the channel’s access groups, or the default group, to the answerer', async () => {
    const seen: AnswerRequest[] = [];
    const { chat } = service({ answer: async (r) => { seen.push(r); return reply('ok'); } });
    await chat.ask(q({ channelId: 'C1' }));
    await chat.ask(q({ channelId: 'C2' }));
    await chat.ask(q({ channelId: 'D1', userId: 'U9', audience: { kind: 'person', userId: 'U9' } }));
    expect(seen.map((r) => r.accessGroups)).toEqual([['hr'], ['public'], ['hr', 'eng']]);
  });

  it('answers an over-long message with a clear notice instead of calling the answerer', async () => {
    let calls = 0;
    const { chat } = service({ answer: async () => { calls += 1; return reply('x'); } });
    const out = await chat.ask(q({ text: 'x'.repeat(101) }));
    expect(out).toMatchObject({ kind: 'notice', reason: 'too_long' });
    expect(out.kind === 'notice' && out.text).toMatch(/up to 100/);
    expect(calls).toBe(0);
  });

  it('names the unavailable part, with a reference and no stack, when answering fails', async () => {
    const { chat, errors } = service({ answer: async () => { throw new CairnError('LLM_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:9'); } });
    const out = await chat.ask(q());
    expect(out.kind).toBe('notice');
    if (out.kind !== 'notice') return;
    expect(out.reason).toBe('unavailable');
    expect(out.text).toMatch(/the language model is unavailable/);
    expect(out.text).not.toMatch(/ECONNREFUSED|at .*\.ts/);
    expect(errors).toEqual(['LLM_UNAVAILABLE']);
  });

  it('rate-limits per user with a polite notice while other users still get answers', async () => {
    const { chat } = service({ answer: async () => reply('ok') }, { ratePerMinute: 2 });
    const outs = [await chat.ask(q()), await chat.ask(q()), await chat.ask(q()), await chat.ask(q({ userId: 'U2' }))];
    expect(outs.map((o) => (o.kind === 'answer' ? 'answer' : o.reason))).toEqual(['answer', 'answer', 'rate_limited', 'answer']);
  });

  it('serves a burst in order up to the queue bound and tells the rest it is busy', async () => {
    const order: string[] = [];
    const { chat } = service(
      { answer: async (r) => { await new Promise((res) => setTimeout(res, 20)); order.push(r.question); return reply(r.question); } },
      { queueConcurrency: 1, queueMax: 3 },
    );
    const outs = await Promise.all(Array.from({ length: 6 }, (_, i) => chat.ask(q({ userId: `U${i}`, text: `q${i}` }))));
    const kinds = outs.map((o) => (o.kind === 'answer' ? 'answer' : o.reason));
    expect(kinds).toEqual(['answer', 'answer', 'answer', 'busy', 'busy', 'busy']);
    expect(order).toEqual(['q0', 'q1', 'q2']);
  });

  it('finishes in-flight answers on drain and turns later questions away', async () => {
    const { chat } = service({ answer: async () => { await new Promise((r) => setTimeout(r, 30)); return reply('done'); } });
    const inflight = chat.ask(q());
    await new Promise((r) => setTimeout(r, 5));
    await chat.drain();
    expect(await inflight).toMatchObject({ kind: 'answer' });
    expect(await chat.ask(q({ userId: 'U5' }))).toMatchObject({ kind: 'notice', reason: 'shutdown' });
  });
});

describe('ChatService in one thread', () => {
  const gate = () => {
    let open = () => undefined as void;
    const opened = new Promise<void>((r) => (open = r));
    return { open, opened };
  };

  function threaded(answerer: Answerer, threadWaitMs: number) {
    const lines: { msg: string; waitedMs?: number }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string }) });
    const chat = new ChatService({
      answerer,
      config: {
        access: { channels: {}, users: {}, publicGroups: ['public'], webSearchWithPrivateGroups: false },
        limits: { maxQuestionChars: 100, ratePerMinute: 100, queueConcurrency: 4, queueMax: 50, attachmentMaxBytes: 5 * 1024 * 1024 },
      },
      logger,
      threadWaitMs,
    });
    return { chat, lines };
  }

  it('answers a follow-up only once the answer before it in the thread is written', async () => {
    const first = gate();
    const events: string[] = [];
    const { chat } = threaded({
      answer: async (r) => {
        events.push(`start ${r.question}`);
        if (r.question === 'one') await first.opened;
        events.push(`end ${r.question}`);
        return reply(r.question);
      },
    }, 10_000);
    const one = chat.ask(q({ threadId: '1.000', text: 'one' }));
    await new Promise((r) => setTimeout(r, 20));
    const two = chat.ask(q({ threadId: '1.000', text: 'two' }));
    // Another thread is not held up by it.
    await chat.ask(q({ threadId: '2.000', text: 'elsewhere' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual(['start one', 'start elsewhere', 'end elsewhere']);
    first.open();
    await Promise.all([one, two]);
    expect(events).toEqual(['start one', 'start elsewhere', 'end elsewhere', 'end one', 'start two', 'end two']);
  });

  it('answers anyway, with a log line, when the answer before it takes longer than the wait', async () => {
    const stuck = gate();
    const { chat, lines } = threaded({
      answer: async (r) => {
        if (r.question === 'stuck') await stuck.opened;
        return reply(r.question);
      },
    }, 100);
    const first = chat.ask(q({ threadId: '3.000', text: 'stuck' }));
    const started = Date.now();
    const second = await chat.ask(q({ threadId: '3.000', text: 'follow-up' }));
    expect(second).toMatchObject({ kind: 'answer', reply: { text: 'follow-up' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(lines.find((l) => l.msg.includes('still being written'))).toMatchObject({ waitedMs: 100 });
    stuck.open();
    await first;
  });
});
