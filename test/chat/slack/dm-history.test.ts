import { afterEach, describe, expect, it } from 'vitest';
import { eventEnvelope, sendEvent } from '../../fakes/slack-server.js';
import { SECRET, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

/** Stores a top-level DM as Slack would and delivers its event. */
async function dm(text: string): Promise<void> {
  const m = h.fake.addUserMessage({ channel: 'D1', user: 'U1', text });
  await sendEvent(h.url, SECRET, eventEnvelope({ type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', text, ts: m.ts }));
}

/** `n` questions asked and `n` final answers (not placeholders) stored. */
const answered = (n: number) => () =>
  h.answerer.requests.length === n && h.fake.botMessages().filter((m) => m.blocks?.some((b) => b.block_id?.startsWith('cairn_answer'))).length >= n;

describe('Slack top-level DM history', () => {
  it('gives a second top-level DM the first question and Cairn’s answer as history', async () => {
    h = await startHarness();
    await dm('what is the leave policy?');
    await h.fake.waitFor(answered(1), 5000, 'the first answer');
    expect(h.answerer.requests[0]!.history).toEqual([]);

    await dm('and for contractors?');
    await h.fake.waitFor(answered(2), 5000, 'the second answer');
    expect(h.answerer.requests[1]!.question).toBe('and for contractors?');
    expect(h.answerer.requests[1]!.history).toEqual([
      { role: 'user', text: 'what is the leave policy?' },
      { role: 'assistant', text: 'Answer to: what is the leave policy? [1]' },
    ]);
    const read = h.fake.callsTo('conversations.history').at(-1)!.args;
    expect(read).toMatchObject({ channel: 'D1', latest: h.fake.messages.filter((m) => m.user === 'U1').at(-1)!.ts });
    expect(h.fake.callsTo('conversations.replies')).toHaveLength(0);
  });

  it('leaves out DMs older than an hour', async () => {
    h = await startHarness();
    h.fake.addUserMessage({ channel: 'D1', user: 'U1', text: 'old question', ts: '1699990000.000100' });
    h.fake.addBotMessage({ channel: 'D1', text: 'old answer', ts: '1699990000.000200' });
    h.fake.addUserMessage({ channel: 'D1', user: 'U1', text: 'recent question', ts: '1699997000.000100' });
    h.fake.addBotMessage({ channel: 'D1', text: 'recent answer', ts: '1699997000.000200' });
    await dm('and for contractors?');
    await h.fake.waitFor(answered(1), 5000, 'the answer');
    expect(h.answerer.requests[0]!.history).toEqual([
      { role: 'user', text: 'recent question' },
      { role: 'assistant', text: 'recent answer' },
    ]);
  });

  it('still answers, without history, when conversations.history fails', async () => {
    h = await startHarness();
    h.fake.addUserMessage({ channel: 'D1', user: 'U1', text: 'earlier question' });
    h.fake.failNext('conversations.history', 'missing_scope');
    await dm('and for contractors?');
    await h.fake.waitFor(answered(1), 5000, 'the answer');
    expect(h.fake.callsTo('conversations.history')).toHaveLength(1);
    expect(h.answerer.requests[0]!.history).toEqual([]);
  });

  it('does not read channel history for a top-level mention in a channel', async () => {
    h = await startHarness();
    const m = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: '<@UBOT> how do I deploy?' });
    await sendEvent(h.url, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: m.text, ts: m.ts }));
    await h.fake.waitFor(answered(1), 5000, 'the answer');
    expect(h.answerer.requests[0]!.history).toEqual([]);
    expect(h.fake.callsTo('conversations.history')).toHaveLength(0);
  });
});
