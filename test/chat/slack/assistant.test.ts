import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerRequest } from '../../../src/core/answer.js';
import { createLogger } from '../../../src/core/logger.js';
import { assistantThreadEvent, eventEnvelope, sendEvent, type ApiCall } from '../../fakes/slack-server.js';
import { reply, SECRET, sectionText, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

const DM = 'D1';
const PROMPTS = [{ title: 'Deploy', message: 'How do I deploy?' }, { title: 'Rollback', message: 'How do I roll back?' }];
const FINAL = 'To deploy, run `make deploy` from the repo root [1].';
let threads = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens an assistant thread as Slack does when a user opens Cairn's panel beside `viewing`; resolves once greeted. */
async function openThread(user: string, viewing?: string): Promise<string> {
  threads += 1;
  const threadTs = `1700000500.${String(threads).padStart(6, '0')}`;
  const greeted = h.fake.callsTo('assistant.threads.setSuggestedPrompts').length;
  await sendEvent(h.url, SECRET, eventEnvelope(assistantThreadEvent('assistant_thread_started', { user, channel: DM, threadTs, ...(viewing ? { viewing } : {}) })));
  await h.fake.waitFor(() => h.fake.callsTo('assistant.threads.setSuggestedPrompts').length > greeted, 5000, 'the suggested prompts');
  return threadTs;
}

/** A user's message in an assistant thread, stored as Slack would and delivered as its message.im event. */
async function ask(threadTs: string, text: string, user = 'U1'): Promise<void> {
  const m = h.fake.addUserMessage({ channel: DM, user, text, thread_ts: threadTs });
  await sendEvent(h.url, SECRET, eventEnvelope({ type: 'message', channel: DM, channel_type: 'im', user, text, ts: m.ts, thread_ts: threadTs }));
}

/** The final answer in the thread: a bot message with the 👍/👎 buttons. */
const answerIn = (threadTs: string) => h.fake.botMessages(DM).find((m) => m.thread_ts === threadTs && (m.blocks ?? []).some((b) => b.type === 'actions'));
const answered = async (threadTs: string) => {
  await h.fake.waitFor(() => answerIn(threadTs) !== undefined, 5000, 'the final answer');
  return answerIn(threadTs)!;
};

/** Answers like the agent with a language model: status steps, then the draft growing as the model writes it. */
function streamingAgent(parts = ['To deploy, ', 'run `make deploy` ', 'from the repo root [1].']) {
  return async (r: AnswerRequest) => {
    r.onProgress?.({ kind: 'status', step: 'retrieving' });
    await sleep(20);
    r.onProgress?.({ kind: 'status', step: 'thinking' });
    let draft = '';
    for (const part of parts) {
      draft += part;
      r.onProgress?.({ kind: 'draft', text: draft });
      await sleep(150);
    }
    r.onProgress?.({ kind: 'status', step: 'checking' });
    return reply(FINAL);
  };
}

const indexOf = (call: ApiCall | undefined) => (call ? h.fake.calls.indexOf(call) : -1);

describe('Slack AI-app surface (Bolt Assistant)', () => {
  it('greets a new assistant thread with the configured prompts and keeps the viewed channel on the greeting', async () => {
    h = await startHarness({ assistant: { prompts: PROMPTS } });
    const threadTs = await openThread('U1', 'CHR');
    expect(h.fake.callsTo('assistant.threads.setSuggestedPrompts')[0]!.args).toMatchObject({ channel_id: DM, thread_ts: threadTs, prompts: PROMPTS, title: 'Try asking' });
    const greeting = h.fake.botMessages(DM).find((m) => m.thread_ts === threadTs)!;
    expect(greeting.blocks?.[0]?.block_id).toBe('cairn_greeting');
    expect(greeting.metadata).toEqual({ event_type: 'assistant_thread_context', event_payload: { channel_id: 'CHR', team_id: 'T1' } });
  });

  it('answers with the thread status, a native stream of the draft, then the final cited answer in its place; titles the thread', async () => {
    h = await startHarness({ assistant: { prompts: PROMPTS } });
    h.answerer.script = streamingAgent();
    const threadTs = await openThread('U1');
    await ask(threadTs, 'How do I deploy the app?');
    const final = await answered(threadTs);

    const status = h.fake.callsTo('assistant.threads.setStatus');
    expect(status[0]!.args).toMatchObject({ channel_id: DM, thread_ts: threadTs, status: 'is working on it…', loading_messages: ['Searching the docs…'] });
    const start = h.fake.callsTo('chat.startStream');
    const appends = h.fake.callsTo('chat.appendStream');
    const stop = h.fake.callsTo('chat.stopStream');
    expect(start).toHaveLength(1);
    expect(start[0]!.args).toMatchObject({ channel: DM, thread_ts: threadTs, recipient_user_id: 'U1', recipient_team_id: 'T1' });
    expect(appends.length).toBeGreaterThanOrEqual(1);
    expect(stop).toHaveLength(1);
    const update = h.fake.callsTo('chat.update').find((c) => c.args.ts === final.ts);
    // Status first, then start < every append < stop < the edit into the final answer.
    expect(indexOf(status[0])).toBeLessThan(indexOf(start[0]));
    for (const a of appends) expect(indexOf(start[0])).toBeLessThan(indexOf(a));
    expect(indexOf(appends.at(-1))).toBeLessThan(indexOf(stop[0]));
    expect(indexOf(stop[0])).toBeLessThan(indexOf(update));

    // The streamed message is the one that now holds the answer: text, sources with the citation, 👍/👎.
    expect(final.streaming_state).toBe('completed');
    expect(appends.every((a) => a.args.ts === final.ts)).toBe(true);
    expect(sectionText(final)).toContain('run `make deploy` from the repo root [1]');
    expect(sectionText(final)).toContain('*Sources*\n[1] <https://docs.example.com/deploy|Deploy guide>');
    expect(final.blocks?.some((b) => b.block_id === 'cairn_feedback')).toBe(true);
    // What was streamed is what the model wrote, in order.
    const streamedText = [start[0]!, ...appends].flatMap((c) => (c.args.chunks as Array<{ text: string }>).map((ch) => ch.text)).join('');
    expect(streamedText).toBe(FINAL);
    expect(h.fake.botMessages(DM).filter((m) => m.thread_ts === threadTs)).toHaveLength(2); // the greeting and the answer

    const titles = h.fake.callsTo('assistant.threads.setTitle');
    expect(titles).toHaveLength(1);
    expect(titles[0]!.args).toMatchObject({ channel_id: DM, thread_ts: threadTs, title: 'How do I deploy the app?' });
    // Edited into the answer, the message does not clear the status by itself: Cairn does.
    await h.fake.waitFor(() => h.fake.callsTo('assistant.threads.setStatus').at(-1)!.args.status === '', 5000, 'the status cleared');
    expect(indexOf(update)).toBeLessThan(indexOf(h.fake.callsTo('assistant.threads.setStatus').at(-1)));
  });

  it('answers follow-ups with the thread as history, without the greeting, and keeps the first title', async () => {
    h = await startHarness({ assistant: { prompts: PROMPTS } });
    h.answerer.script = streamingAgent();
    const threadTs = await openThread('U1');
    await ask(threadTs, 'How do I deploy the app?');
    await answered(threadTs);
    await ask(threadTs, 'and to staging?');
    await h.fake.waitFor(() => h.answerer.requests.length === 2 && h.fake.callsTo('chat.stopStream').length === 2, 5000, 'the follow-up answer');
    const followUp = h.answerer.requests[1]!;
    expect(followUp).toMatchObject({ question: 'and to staging?', channelId: DM, threadId: threadTs });
    expect(followUp.history).toEqual([
      { role: 'user', text: 'How do I deploy the app?' },
      { role: 'assistant', text: 'To deploy, run `make deploy` from the repo root [1].' },
    ]);
    expect(h.fake.callsTo('assistant.threads.setTitle')).toHaveLength(1);
  });

  it('still puts the final answer in place of a stream Slack already ended', async () => {
    h = await startHarness({ assistant: { prompts: PROMPTS } });
    h.answerer.script = streamingAgent();
    const threadTs = await openThread('U1');
    h.fake.failNext('chat.stopStream', 'message_not_in_streaming_state');
    await ask(threadTs, 'How do I deploy the app?');
    const final = await answered(threadTs);
    // The streamed message itself (never stopped here) holds the answer; nothing was posted besides it.
    expect(final.streaming_state).toBe('in_progress');
    expect(sectionText(final)).toContain('*Sources*');
    expect(h.fake.botMessages(DM).filter((m) => m.thread_ts === threadTs)).toHaveLength(2);
  });

  it('stops streaming a draft the agent rewrote (a retry), and the final answer replaces it', async () => {
    h = await startHarness({ assistant: { prompts: PROMPTS } });
    h.answerer.script = async (r) => {
      r.onProgress?.({ kind: 'draft', text: 'Deploy with the old script' });
      await sleep(150);
      r.onProgress?.({ kind: 'status', step: 'retrying' });
      r.onProgress?.({ kind: 'draft', text: 'To deploy' });
      await sleep(150);
      r.onProgress?.({ kind: 'draft', text: 'To deploy, run make deploy' });
      await sleep(150);
      return reply(FINAL);
    };
    const threadTs = await openThread('U1');
    await ask(threadTs, 'How do I deploy the app?');
    const final = await answered(threadTs);
    const streamed = [...h.fake.callsTo('chat.startStream'), ...h.fake.callsTo('chat.appendStream')]
      .flatMap((c) => (c.args.chunks as Array<{ text: string }>).map((ch) => ch.text)).join('');
    expect(streamed).toBe('Deploy with the old script');
    expect(sectionText(final)).toContain('run `make deploy` from the repo root [1]');
    expect(sectionText(final)).not.toContain('old script');
  });

  it('posts an answer that has no draft (no language model) as it is, without a stream', async () => {
    h = await startHarness({ assistant: { prompts: PROMPTS } });
    const threadTs = await openThread('U1');
    await ask(threadTs, 'How do I deploy?');
    const final = await answered(threadTs);
    expect(sectionText(final)).toContain('Answer to: How do I deploy? [1]');
    expect(h.fake.callsTo('chat.startStream')).toHaveLength(0);
    expect(h.fake.callsTo('assistant.threads.setStatus').length).toBeGreaterThanOrEqual(1);
  });

  it('falls back to placeholder-then-edit, with a log line, where Slack will not start a stream', async () => {
    let logs = '';
    const logger = createLogger({ level: 'info', content: false, destination: new Writable({ write(c: Buffer, _e, done) { logs += c.toString(); done(); } }) });
    h = await startHarness({ assistant: { prompts: PROMPTS }, logger });
    h.answerer.script = streamingAgent();
    const threadTs = await openThread('U1');
    h.fake.failNext('chat.startStream', 'not_allowed');
    await ask(threadTs, 'How do I deploy the app?');
    const final = await answered(threadTs);
    expect(h.fake.callsTo('chat.startStream')).toHaveLength(1);
    expect(h.fake.callsTo('chat.appendStream')).toHaveLength(0);
    expect(h.fake.callsTo('chat.stopStream')).toHaveLength(0);
    // The placeholder was posted in the thread and edited into the answer, citations included.
    const placeholder = h.fake.callsTo('chat.postMessage').find((c) => c.args.thread_ts === threadTs && JSON.stringify(c.args.blocks).includes('cairn_progress'));
    expect(placeholder).toBeDefined();
    expect(final.edits).toBeGreaterThanOrEqual(1);
    expect(sectionText(final)).toContain('*Sources*\n[1] <https://docs.example.com/deploy|Deploy guide>');
    const line = logs.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; err?: { apiError?: string } })
      .find((l) => l.msg.includes('Slack would not start a stream'));
    expect(line).toMatchObject({ level: 40, err: { apiError: 'not_allowed' } });
  });

  it('draws on the viewed channel’s groups, never more than the user’s own, and follows a change of channel', async () => {
    h = await startHarness({ assistant: { prompts: PROMPTS } });
    // The harness maps CHR to hr and U9 to hr and eng; U1 has only the public groups.
    const groupsFor = async (threadTs: string, user: string) => {
      const before = h.answerer.requests.length;
      await ask(threadTs, 'What is the bonus pool?', user);
      await h.fake.waitFor(() => h.answerer.requests.length > before, 5000, 'the question');
      return h.answerer.requests.at(-1)!.accessGroups;
    };
    // A viewed channel that may read more than the user alone does not widen what they get.
    expect(await groupsFor(await openThread('U1', 'CHR'), 'U1')).toEqual([]);
    // A user who may read more than the viewed channel gets only what the channel may.
    const hrThread = await openThread('U9', 'CHR');
    expect(await groupsFor(hrThread, 'U9')).toEqual(['hr']);
    // No channel in view: the user's own groups, as in a DM.
    expect(await groupsFor(await openThread('U9'), 'U9')).toEqual(['hr', 'eng']);

    // The user moves to an unmapped (public) channel: the thread follows.
    await sendEvent(h.url, SECRET, eventEnvelope(assistantThreadEvent('assistant_thread_context_changed', { user: 'U9', channel: DM, threadTs: hrThread, viewing: 'CGENERAL' })));
    await h.fake.waitFor(() => h.fake.botMessages(DM).find((m) => m.thread_ts === hrThread)?.metadata?.event_payload.channel_id === 'CGENERAL', 5000, 'the saved context');
    expect(await groupsFor(hrThread, 'U9')).toEqual([]);
  });

  it('leaves top-level DMs to the message handlers', async () => {
    h = await startHarness({ assistant: { prompts: PROMPTS } });
    const m = h.fake.addUserMessage({ channel: DM, user: 'U1', text: 'how do I deploy?' });
    await sendEvent(h.url, SECRET, eventEnvelope({ type: 'message', channel: DM, channel_type: 'im', user: 'U1', text: m.text, ts: m.ts }));
    await h.fake.waitFor(() => h.fake.callsTo('chat.update').length > 0, 5000, 'the DM answer');
    expect(h.answerer.requests[0]!.accessGroups).toEqual(['public']);
    expect(h.fake.callsTo('assistant.threads.setStatus')).toHaveLength(0);
  });
});
