import { afterEach, describe, expect, it } from 'vitest';
import { CairnError } from '../../../src/core/errors.js';
import { eventEnvelope, sendEvent } from '../../fakes/slack-server.js';
import { reply, SECRET, sectionText, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

const mention = (text: string, over: Record<string, unknown> = {}) => ({
  type: 'app_mention', channel: 'C1', user: 'U1', text: `<@UBOT> ${text}`, ts: '1699999999.000100', ...over,
});

/** Waits until the bot's reply in `thread` (or its top-level reply) is no longer the placeholder, and returns it. */
async function finalReply(thread: string | undefined, channel = 'C1') {
  const done = () => h.fake.botMessages(channel).find((m) => m.thread_ts === thread && !m.blocks?.some((b) => b.block_id === 'cairn_progress'));
  await h.fake.waitFor(() => done() !== undefined, 5000, `a final reply in ${thread ?? channel}`);
  return done()!;
}

describe('Slack adapter over the HTTP Events API', () => {
  it('answers a mention in its thread: placeholder first, then an edit with the answer, sources and buttons', async () => {
    h = await startHarness();
    const res = await sendEvent(h.url, SECRET, eventEnvelope(mention('how do I deploy?')));
    expect(res.status).toBe(200);
    const m = await finalReply('1699999999.000100');
    const posts = h.fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args).toMatchObject({ channel: 'C1', thread_ts: '1699999999.000100', text: 'Searching the docs…' });
    expect(posts[0]!.token).toBe('xoxb-test');
    expect(m.edits).toBeGreaterThanOrEqual(1);
    expect(sectionText(m)).toContain('Answer to: how do I deploy? [1]');
    expect(sectionText(m)).toContain('<https://docs.example.com/deploy|Deploy guide>');
    const actions = m.blocks!.find((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual(['cairn_feedback_up', 'cairn_feedback_down']);
    expect(actions.elements[0]!.value).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.text).toContain('Answer to: how do I deploy?');
    expect(h.answerer.requests[0]).toMatchObject({ question: 'how do I deploy?', channelId: 'C1', accessGroups: ['public'], history: [] });
  });

  it('answers a direct message at top level with the user’s access groups', async () => {
    h = await startHarness();
    await sendEvent(h.url, SECRET, eventEnvelope({ type: 'message', channel: 'D1', channel_type: 'im', user: 'U9', text: 'what is the leave policy?', ts: '1699999999.000200' }));
    const dm = await finalReply(undefined, 'D1');
    expect(h.fake.callsTo('chat.postMessage')[0]!.args.thread_ts).toBeUndefined();
    expect(sectionText(dm)).toContain('Answer to: what is the leave policy?');
    expect(h.answerer.requests[0]!.accessGroups).toEqual(['hr', 'eng']);
  });

  it('answers a follow-up in a thread it answered in without a new mention, with the earlier turns as history', async () => {
    h = await startHarness();
    const first = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: '<@UBOT> how do I deploy?' });
    await sendEvent(h.url, SECRET, eventEnvelope(mention('how do I deploy?', { ts: first.ts })));
    await finalReply(first.ts);
    const follow = h.fake.addUserMessage({ channel: 'C1', user: 'U1', text: 'and to staging?', thread_ts: first.ts });
    await sendEvent(h.url, SECRET, eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: follow.text, ts: follow.ts, thread_ts: first.ts }));
    await h.fake.waitFor(() => h.answerer.requests.length === 2 && h.fake.botMessages('C1').every((m) => m.edits > 0), 5000, 'the follow-up answer');
    expect(h.answerer.requests[1]!.question).toBe('and to staging?');
    expect(h.answerer.requests[1]!.history).toEqual([
      { role: 'user', text: 'how do I deploy?' },
      { role: 'assistant', text: 'Answer to: how do I deploy? [1]' },
    ]);
    expect(h.fake.botMessages('C1').filter((m) => m.thread_ts === first.ts)).toHaveLength(2);
  });

  it('ignores thread messages in threads it never answered in', async () => {
    h = await startHarness();
    await sendEvent(h.url, SECRET, eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'chatting', ts: '1699999999.000500', thread_ts: '1699999999.000400' }));
    await sendEvent(h.url, SECRET, eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'no mention here', ts: '1699999999.000600' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
  });

  it('rejects a badly signed request with 401 and answers nothing', async () => {
    h = await startHarness();
    const res = await sendEvent(h.url, SECRET, eventEnvelope(mention('hi')), { badSignature: true });
    const stale = await sendEvent(h.url, SECRET, eventEnvelope(mention('hi')), { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect([res.status, stale.status]).toEqual([401, 401]);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
    expect(h.answerer.requests).toHaveLength(0);
  });

  it('answers a retried event (same event_id, x-slack-retry-num) once', async () => {
    h = await startHarness();
    h.answerer.script = async (r) => {
      await new Promise((res) => setTimeout(res, 300));
      return reply(`Answer to: ${r.question}`);
    };
    const env = eventEnvelope(mention('retry me'));
    const deliveries = await Promise.all([sendEvent(h.url, SECRET, env), sendEvent(h.url, SECRET, env, { retryNum: 1 })]);
    await sendEvent(h.url, SECRET, env, { retryNum: 2 });
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    await finalReply('1699999999.000100');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.answerer.requests).toHaveLength(1);
  });

  it('answers an app_mention and the message event for the same post once', async () => {
    h = await startHarness();
    const ts = '1699999999.000700';
    await Promise.all([
      sendEvent(h.url, SECRET, eventEnvelope(mention('twins', { ts }))),
      sendEvent(h.url, SECRET, eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: '<@UBOT> twins', ts })),
    ]);
    await finalReply(ts);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.answerer.requests).toHaveLength(1);
  });

  it('ignores bots, itself, edits and empty messages', async () => {
    h = await startHarness();
    const base = { type: 'message', channel: 'D1', channel_type: 'im', ts: '1699999999.000800' };
    const events = [
      { ...base, subtype: 'bot_message', bot_id: 'BOTHER', text: 'beep' },
      { ...base, user: 'UOTHER', bot_id: 'BOTHER', text: 'app bot' },
      { ...base, user: 'UBOT', text: 'my own words' },
      { ...base, subtype: 'message_changed', message: { text: 'edited' }, previous_message: { text: 'old' } },
      { ...base, subtype: 'message_deleted' },
      { ...base, user: 'U1', text: '   ' },
    ];
    for (const e of events) expect((await sendEvent(h.url, SECRET, eventEnvelope(e))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
    expect(h.answerer.requests).toHaveLength(0);
  });

  it('only answers in allowed channels when an allow-list is set', async () => {
    h = await startHarness({ allowedChannels: ['C2'] });
    await sendEvent(h.url, SECRET, eventEnvelope(mention('not here')));
    await sendEvent(h.url, SECRET, eventEnvelope(mention('here', { channel: 'C2', ts: '1699999999.000900' })));
    await finalReply('1699999999.000900', 'C2');
    expect(h.fake.botMessages('C1')).toHaveLength(0);
  });

  it('shows a low-confidence line for a partly grounded answer', async () => {
    h = await startHarness();
    h.answerer.script = async () => reply('Probably port 8080 [1].', { grounding: { verdict: 'partial', confidence: 0.7 } });
    await sendEvent(h.url, SECRET, eventEnvelope(mention('which port?')));
    const m = await finalReply('1699999999.000100');
    const context = m.blocks!.filter((b) => b.type === 'context').map((b) => JSON.stringify(b));
    expect(context.join()).toMatch(/partly supported/i);
  });

  it('apologises naming the language model when it is down, then answers the next question normally', async () => {
    h = await startHarness();
    h.answerer.script = async () => {
      throw new CairnError('LLM_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:1');
    };
    await sendEvent(h.url, SECRET, eventEnvelope(mention('first')));
    const failed = await finalReply('1699999999.000100');
    expect(failed.text).toMatch(/the language model is unavailable/);
    expect(failed.text).not.toMatch(/ECONNREFUSED|\.ts:/);
    expect(failed.blocks!.some((b) => b.type === 'actions')).toBe(false);
    h.answerer.script = async (r) => reply(`Answer to: ${r.question}`);
    await sendEvent(h.url, SECRET, eventEnvelope(mention('second', { ts: '1699999999.001000' })));
    const ok = await finalReply('1699999999.001000');
    expect(sectionText(ok)).toContain('Answer to: second');
  });

  it('streams progress into the placeholder, throttled, before the answer', async () => {
    h = await startHarness({ adapter: { progressIntervalMs: 150 } });
    h.answerer.script = async (r) => {
      for (let i = 0; i < 20; i += 1) {
        r.onProgress?.({ kind: 'status', step: i % 2 ? 'retrieving' : 'grading' });
        await new Promise((res) => setTimeout(res, 30));
      }
      r.onProgress?.({ kind: 'draft', text: 'Deploy with `make deploy`' });
      await new Promise((res) => setTimeout(res, 200));
      return reply('Deploy with `make deploy` [1].');
    };
    await sendEvent(h.url, SECRET, eventEnvelope(mention('deploy?')));
    const m = await finalReply('1699999999.000100');
    const updates = h.fake.callsTo('chat.update');
    const progress = updates.slice(0, -1);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < updates.length - 1; i += 1) expect(updates[i]!.at - updates[i - 1]!.at).toBeGreaterThanOrEqual(140);
    expect(progress.some((u) => String(u.args.text).includes('make deploy'))).toBe(true);
    expect(sectionText(m)).toContain('Deploy with `make deploy` [1].');
  });

  it('posts the answer once as a new message when editing the placeholder fails', async () => {
    h = await startHarness();
    h.fake.failNext('chat.update', 'cant_update_message');
    await sendEvent(h.url, SECRET, eventEnvelope(mention('edit fails')));
    await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').length === 2, 5000, 'the fallback post');
    await new Promise((r) => setTimeout(r, 150));
    const posts = h.fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(String(posts[1]!.args.text)).toContain('Answer to: edit fails');
  });
  it('acks at once and shows the placeholder within a second while the model is still working', async () => {
    h = await startHarness();
    let release: () => void = () => undefined;
    h.answerer.script = (r) => new Promise((res) => (release = () => res(reply(`Answer to: ${r.question}`))));
    const sent = Date.now();
    const res = await sendEvent(h.url, SECRET, eventEnvelope(mention('slow one')));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    await h.fake.waitFor(() => h.fake.botMessages('C1').length === 1, 1000, 'the placeholder');
    const placeholder = h.fake.botMessages('C1')[0]!;
    expect(placeholder.postedAt - sent).toBeLessThan(1000);
    expect(placeholder.text).toBe('Searching the docs…');
    await h.fake.waitFor(() => h.answerer.requests.length === 1, 2000, 'the question to reach the model');
    release();
    expect(sectionText(await finalReply('1699999999.000100'))).toContain('Answer to: slow one');
  });

  it('still answers when the placeholder cannot be posted or the thread cannot be read', async () => {
    h = await startHarness();
    h.fake.failNext('chat.postMessage', 'ratelimited');
    h.fake.failNext('conversations.replies', 'internal_error');
    await sendEvent(h.url, SECRET, eventEnvelope(mention('in a thread', { ts: '1699999999.000300', thread_ts: '1699999999.000100' })));
    const m = await finalReply('1699999999.000100');
    expect(sectionText(m)).toContain('Answer to: in a thread');
    expect(h.answerer.requests[0]!.history).toEqual([]);
  });

  it('answers 503 once stopped, so Slack retries against the next instance', async () => {
    h = await startHarness();
    await h.adapter.stop();
    const res = await sendEvent(h.url, SECRET, eventEnvelope(mention('too late')));
    expect(res.status).toBe(503);
    expect(h.answerer.requests).toHaveLength(0);
  });
  it('answers Slack’s signed url_verification challenge', async () => {
    h = await startHarness();
    const res = await sendEvent(h.url, SECRET, { token: 'legacy', type: 'url_verification', challenge: 'c-123' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'c-123' });
  });
});
