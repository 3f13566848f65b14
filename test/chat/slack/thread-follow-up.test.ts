import { afterEach, describe, expect, it } from 'vitest';
import { eventEnvelope, sendEvent } from '../../fakes/slack-server.js';
import { SECRET, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

const threadMessage = (text: string, ts: string, threadTs: string) =>
  eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text, ts, thread_ts: threadTs });

describe('Slack thread follow-ups after a restart (empty thread memory)', () => {
  it('answers a follow-up without a mention in a thread where Cairn posted before the restart', async () => {
    h = await startHarness();
    const question = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: '<@UBOT> how do I deploy?' });
    h.fake.addBotMessage({ channel: 'C1', text: 'Run make deploy.', thread_ts: question.ts });
    const follow = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: 'and to staging?', thread_ts: question.ts });
    await sendEvent(h.url, SECRET, threadMessage(follow.text!, follow.ts, question.ts));
    await h.fake.waitFor(() => h.answerer.requests.length === 1 && h.fake.callsTo('chat.update').length > 0, 5000, 'the follow-up answer');
    expect(h.answerer.requests[0]!.question).toBe('and to staging?');
    expect(h.answerer.requests[0]!.history).toEqual([
      { role: 'user', text: 'how do I deploy?' },
      { role: 'assistant', text: 'Run make deploy.' },
    ]);
    expect(h.fake.callsTo('chat.postMessage')[0]!.args.thread_ts).toBe(question.ts);

    // Remembered now: the next follow-up needs no check, only its history read.
    const repliesBefore = h.fake.callsTo('conversations.replies').length;
    const next = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: 'and to prod?', thread_ts: question.ts });
    await sendEvent(h.url, SECRET, threadMessage(next.text!, next.ts, question.ts));
    await h.fake.waitFor(() => h.answerer.requests.length === 2, 5000, 'the second follow-up');
    expect(h.fake.callsTo('conversations.replies').length - repliesBefore).toBe(1);
  });

  it('reads no thread from Slack when thread memory holds it (written by any replica): the answer reads the turns there', async () => {
    h = await startHarness();
    const question = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: '<@UBOT> how do I deploy?' });
    h.fake.addBotMessage({ channel: 'C1', text: 'Run make deploy.', thread_ts: question.ts });
    h.answerer.remembered.add(`slack:C1:${question.ts}`);
    const follow = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: 'and to staging?', thread_ts: question.ts });
    await sendEvent(h.url, SECRET, threadMessage(follow.text!, follow.ts, question.ts));
    await h.fake.waitFor(() => h.answerer.requests.length === 1 && h.fake.callsTo('chat.update').length > 0, 5000, 'the follow-up answer');
    expect(h.answerer.requests[0]).toMatchObject({ question: 'and to staging?', threadId: question.ts, history: [] });
    // Only the check that Cairn is in the thread (not yet in this replica's participation memory).
    expect(h.fake.callsTo('conversations.replies')).toHaveLength(1);
    const next = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: 'and to prod?', thread_ts: question.ts });
    await sendEvent(h.url, SECRET, threadMessage(next.text!, next.ts, question.ts));
    await h.fake.waitFor(() => h.answerer.requests.length === 2, 5000, 'the second follow-up');
    expect(h.fake.callsTo('conversations.replies')).toHaveLength(1);

    // A mention may be about what a colleague wrote in the thread, which memory never saw: read it.
    h.fake.addUserMessage({ channel: 'C1', user: 'U2', text: 'staging is frozen this week', thread_ts: question.ts });
    const mention = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: '<@UBOT> is that right?', thread_ts: question.ts });
    await sendEvent(h.url, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: mention.text, ts: mention.ts, thread_ts: question.ts }));
    await h.fake.waitFor(() => h.answerer.requests.length === 3, 5000, 'the mention in the thread');
    expect(h.fake.callsTo('conversations.replies')).toHaveLength(2);
    expect(h.answerer.requests[2]!.history).toContainEqual({ role: 'user', text: 'staging is frozen this week' });
  });

  it('ignores a thread Cairn never posted in, asking Slack only once for it', async () => {
    h = await startHarness();
    const root = h.fake.addUserMessage({ channel: 'C1', user: 'U2', text: 'lunch?' });
    const first = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: 'sure', thread_ts: root.ts });
    await sendEvent(h.url, SECRET, threadMessage(first.text!, first.ts, root.ts));
    await h.fake.waitFor(() => h.fake.callsTo('conversations.replies').length === 1, 5000, 'the thread check');
    const second = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: 'at noon', thread_ts: root.ts });
    await sendEvent(h.url, SECRET, threadMessage(second.text!, second.ts, root.ts));
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.callsTo('conversations.replies')).toHaveLength(1);
    expect(h.fake.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
    expect(h.answerer.requests).toHaveLength(0);
  });

  it('does not check threads for messages addressed to someone else', async () => {
    h = await startHarness();
    const root = h.fake.addUserMessage({ channel: 'C1', user: 'U2', text: 'question' });
    h.fake.addBotMessage({ channel: 'C1', text: 'answer', thread_ts: root.ts });
    await sendEvent(h.url, SECRET, threadMessage('<@U3> can you check?', '1700000100.000100', root.ts));
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.callsTo('conversations.replies')).toHaveLength(0);
    expect(h.answerer.requests).toHaveLength(0);
  });
});
