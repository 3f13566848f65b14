import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteChannelSettings } from '../../../src/shared-state/channel-settings.js';
import { commandFields, eventEnvelope, sendCommand, sendEvent } from '../../fakes/slack-server.js';
import { ADMIN, SECRET, sectionText, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SUPPORT = 'CSUPPORT';

/** A person posts in a channel, as Slack's message.channels event carries it (and stores it, so history reads work). */
function post(harness: Harness, m: { user: string; text: string; channel?: string; thread_ts?: string; parent_user_id?: string }) {
  const channel = m.channel ?? SUPPORT;
  const stored = harness.fake.addUserMessage({ channel, user: m.user, text: m.text, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}) });
  return sendEvent(harness.url, SECRET, eventEnvelope({
    type: 'message', channel, channel_type: 'channel', user: m.user, text: m.text, ts: stored.ts,
    ...(m.thread_ts ? { thread_ts: m.thread_ts, parent_user_id: m.parent_user_id } : {}),
  })).then(() => stored);
}

const mention = (harness: Harness, m: { user: string; text: string; ts: string; thread_ts: string }) =>
  sendEvent(harness.url, SECRET, eventEnvelope({ type: 'app_mention', channel: SUPPORT, user: m.user, text: m.text, ts: m.ts, thread_ts: m.thread_ts }));

const command = (harness: Harness, user: string, text: string, channel = SUPPORT) =>
  sendCommand(harness.url, SECRET, commandFields({ command: '/cairn-channel', text, user_id: user, channel_id: channel, response_url: harness.fake.responseUrl() }));

/** Lets the events sent so far be handled, and anything they start be posted. */
const settle = (ms = 250) => new Promise((r) => setTimeout(r, ms));

describe('Slack support channels (answered without a mention)', () => {
  it('answers a question once, in its thread, without a mention; leaves a statement alone', async () => {
    h = await startHarness({ autoAnswerChannels: [SUPPORT] });
    const q = await post(h, { user: 'U1', text: 'How do I rotate the API key' });
    await h.fake.waitFor(() => h!.fake.callsTo('chat.update').length > 0, 5000, 'the answer');
    await post(h, { user: 'U2', text: 'FYI the deploy freeze starts Monday' });
    await settle();
    expect(h.answerer.requests.map((r) => r.question)).toEqual(['How do I rotate the API key']);
    const posted = h.fake.callsTo('chat.postMessage');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.args).toMatchObject({ channel: SUPPORT, thread_ts: q.ts });
    expect(sectionText(h.fake.callsTo('chat.update').at(-1)!.args as never)).toContain('Answer to: How do I rotate the API key');
    // The channel's audience decides what it may cite, as for a mention there.
    expect(h.answerer.requests[0]!.channelId).toBe(SUPPORT);
  });

  it('ignores unmentioned questions in channels that are not support channels', async () => {
    h = await startHarness({ autoAnswerChannels: [SUPPORT] });
    await post(h, { user: 'U1', text: 'How do I rotate the API key?', channel: 'COTHER' });
    await settle();
    expect(h.answerer.requests).toHaveLength(0);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('answers the asker’s follow-up, steps back once another person replies, and answers again when mentioned', async () => {
    h = await startHarness({ autoAnswerChannels: [SUPPORT] });
    const q = await post(h, { user: 'U1', text: 'Why does CI fail on main?' });
    await h.fake.waitFor(() => h!.answerer.requests.length === 1, 5000, 'the first answer');
    await post(h, { user: 'U1', text: 'and on branches too', thread_ts: q.ts, parent_user_id: 'U1' });
    await h.fake.waitFor(() => h!.answerer.requests.length === 2, 5000, 'the follow-up answer');

    await post(h, { user: 'U2', text: 'it is the flaky cache, rerun it', thread_ts: q.ts, parent_user_id: 'U1' });
    await settle(100); // people do not reply within the same millisecond
    await post(h, { user: 'U1', text: 'thanks, does that always work?', thread_ts: q.ts, parent_user_id: 'U1' });
    await settle();
    expect(h.answerer.requests).toHaveLength(2);

    const again = h.fake.addUserMessage({ channel: SUPPORT, user: 'U1', text: '<@UBOT> is there a doc on the cache?', thread_ts: q.ts });
    await mention(h, { user: 'U1', text: again.text!, ts: again.ts, thread_ts: q.ts });
    await h.fake.waitFor(() => h!.answerer.requests.length === 3, 5000, 'the answer to the mention');
    expect(h.answerer.requests[2]!.question).toBe('is there a doc on the cache?');
    // Answered as a mention in the thread: with the thread so far as history, the other person's reply included.
    expect(h.answerer.requests[2]!.history.map((t) => t.text)).toContain('it is the flaky cache, rerun it');
  });

  it('stays quiet when another person replies before the asker follows up', async () => {
    h = await startHarness({ autoAnswerChannels: [SUPPORT] });
    const q = await post(h, { user: 'U1', text: 'Where are the runbooks' });
    await h.fake.waitFor(() => h!.answerer.requests.length === 1, 5000, 'the answer');
    await post(h, { user: 'U2', text: 'in the wiki, under Ops', thread_ts: q.ts, parent_user_id: 'U1' });
    await settle(100);
    await post(h, { user: 'U1', text: 'which page?', thread_ts: q.ts, parent_user_id: 'U1' });
    await settle();
    expect(h.answerer.requests).toHaveLength(1);
  });
});

describe('Slack support threads after a restart (empty thread memory)', () => {
  it('still steps back for another person in a thread Cairn answered before the restart, and answers the asker until then', async () => {
    h = await startHarness({ autoAnswerChannels: [SUPPORT] });
    const q = h.fake.addUserMessage({ channel: SUPPORT, user: 'U1', text: 'How do I rotate the API key?' });
    h.fake.addBotMessage({ channel: SUPPORT, text: 'Run cairn keys rotate.', thread_ts: q.ts });
    await post(h, { user: 'U1', text: 'and the old key?', thread_ts: q.ts, parent_user_id: 'U1' });
    await h.fake.waitFor(() => h!.answerer.requests.length === 1, 5000, 'the asker’s follow-up');

    const other = h.fake.addUserMessage({ channel: SUPPORT, user: 'U1', text: 'Where are the runbooks?' });
    h.fake.addBotMessage({ channel: SUPPORT, text: 'In the wiki.', thread_ts: other.ts });
    await post(h, { user: 'U2', text: 'the ops space has them', thread_ts: other.ts, parent_user_id: 'U1' });
    await settle();
    await post(h, { user: 'U1', text: 'which page though', thread_ts: other.ts, parent_user_id: 'U1' });
    await settle();
    expect(h.answerer.requests).toHaveLength(1);
  });
});

describe('/cairn-channel auto on|off', () => {
  it('an admin switches a channel on and off; the reply says the new state', async () => {
    h = await startHarness();
    const on = await command(h, ADMIN, 'auto on');
    expect(JSON.parse(on.body)).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/Auto-answer is now \*on\* in <#CSUPPORT>/) });
    await post(h, { user: 'U1', text: 'Can I deploy on Fridays' });
    await h.fake.waitFor(() => h!.answerer.requests.length === 1, 5000, 'the answer once switched on');

    const off = await command(h, ADMIN, 'auto off');
    expect(JSON.parse(off.body).text).toMatch(/Auto-answer is now \*off\* in <#CSUPPORT>/);
    await post(h, { user: 'U1', text: 'Can I deploy on Saturdays' });
    await settle();
    expect(h.answerer.requests).toHaveLength(1);
  });

  it('switches off a configured support channel; alone it reports the state and how to change it', async () => {
    h = await startHarness({ autoAnswerChannels: [SUPPORT] });
    expect(JSON.parse((await command(h, ADMIN, '')).body).text).toMatch(/^Auto-answer is on in <#CSUPPORT>\. Use `\/cairn-channel auto on`/);
    await command(h, ADMIN, 'auto off');
    expect(JSON.parse((await command(h, ADMIN, '')).body).text).toMatch(/^Auto-answer is off/);
    await post(h, { user: 'U1', text: 'What is the SLA?' });
    await settle();
    expect(h.answerer.requests).toHaveLength(0);
  });

  it('refuses a non-admin and changes nothing', async () => {
    h = await startHarness();
    const res = await command(h, 'U1', 'auto on');
    expect(JSON.parse(res.body)).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/only Cairn admins/) });
    await post(h, { user: 'U1', text: 'Can I deploy on Fridays?' });
    await settle();
    expect(h.answerer.requests).toHaveLength(0);
  });

  it('the switch survives a restart (a new adapter over the same channels.sqlite)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cairn-channels-'));
    try {
      const first = new SqliteChannelSettings(dir);
      h = await startHarness({ channelSettings: first });
      expect(JSON.parse((await command(h, ADMIN, 'auto on')).body).text).toMatch(/now \*on\*/);
      await h.close();
      h = undefined;
      await first.close();

      const second = new SqliteChannelSettings(dir);
      try {
        h = await startHarness({ channelSettings: second });
        await post(h, { user: 'U1', text: 'Who owns billing?' });
        await h.fake.waitFor(() => h!.answerer.requests.length === 1, 5000, 'the answer after the restart');
        expect(h.fake.callsTo('chat.postMessage')[0]!.args).toMatchObject({ channel: SUPPORT });
      } finally {
        await h?.close();
        h = undefined;
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
