import { afterEach, describe, expect, it } from 'vitest';
import { ANSWER_ACTION } from '../../../src/chat/slack/render/blocks.js';
import { buttonClick, commandFields, eventEnvelope, sendAction, sendCommand, sendEvent } from '../../fakes/slack-server.js';
import { reply, SECRET, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

const HR_CITATION = { n: 1, title: 'Bonus policy', source: 'hr/bonus.md', snippet: 'The pool is 12%.', chunkId: 'b1', accessGroup: 'hr' };
const PUBLIC_CITATION = { n: 1, title: 'Deploy guide', source: 'docs/deploy.md', url: 'https://docs.example.com/deploy', snippet: 'Run make deploy', chunkId: 'c1', accessGroup: 'public' };

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: Array<{ action_id?: string; value?: string; style?: string; text?: unknown }> };
type Body = { response_type?: string; replace_original?: boolean; text?: string; blocks?: Block[] };

const buttons = (body: Body) => (body.blocks ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
const button = (body: Body, actionId: string) => buttons(body).find((e) => e.action_id === actionId);

/** `/ask <text>` by `user` in `channel`; resolves with the answer's response_url body. */
async function ask(text: string, user: string, channel: string, id: string): Promise<Body> {
  await sendCommand(h.url, SECRET, commandFields({ command: '/ask', text, user_id: user, channel_id: channel, response_url: h.fake.responseUrl(id) }));
  await h.fake.waitFor(() => h.fake.responsesTo(id).length === 1, 5000, `/ask ${id}`);
  return h.fake.responsesTo(id)[0]!.body as Body;
}

async function click(actionId: string, value: string, user: string, channel: string, id: string, extra: { ephemeral?: boolean; messageTs?: string; threadTs?: string } = {}): Promise<void> {
  await sendAction(h.url, SECRET, buttonClick({
    actionId, value, user, channel, messageTs: extra.messageTs ?? '1700000000.000100', response_url: h.fake.responseUrl(id),
    ...(extra.ephemeral !== undefined ? { ephemeral: extra.ephemeral } : {}), ...(extra.threadTs ? { threadTs: extra.threadTs } : {}),
  }));
}

describe('Slack: /ask private and Share in channel', () => {
  it('/ask private answers ephemerally with the asker’s groups in that channel, with a Share button', async () => {
    h = await startHarness({ records: true });
    const body = await ask('private how do I deploy?', 'U1', 'C1', 'p1');
    expect(body.response_type).toBe('ephemeral');
    expect(h.answerer.requests[0]).toMatchObject({ question: 'how do I deploy?', accessGroups: ['public'] });
    expect(button(body, ANSWER_ACTION.share)?.value).toBe(h.answerer.requests[0]!.requestId);
    // Without `private` the same question is answered for the channel, and there is nothing to share.
    const open = await ask('how do I deploy?', 'U1', 'C1', 'p2');
    expect(open.response_type).toBe('in_channel');
    expect(button(open, ANSWER_ACTION.share)).toBeUndefined();
  });

  it('Share posts the answer for everyone in the channel, citations included, and retires the private copy', async () => {
    h = await startHarness({ records: true });
    h.answerer.script = async () => reply('Run make deploy [1].', { citations: [PUBLIC_CITATION] });
    const body = await ask('private how do I deploy?', 'U1', 'C1', 'p1');
    await click(ANSWER_ACTION.share, button(body, ANSWER_ACTION.share)!.value!, 'U1', 'C1', 's1', { ephemeral: true });
    await h.fake.waitFor(() => h.fake.responsesTo('s1').length === 2, 5000, 'the shared answer');
    const [shared, retired] = h.fake.responsesTo('s1').map((r) => r.body as Body);
    expect(shared!.response_type).toBe('in_channel');
    const text = JSON.stringify(shared!.blocks);
    expect(text).toContain('Run make deploy [1].');
    expect(text).toContain('<@U1> asked:');
    expect(text).toContain('*Sources*');
    expect(text).toContain('https://docs.example.com/deploy');
    expect(button(shared!, ANSWER_ACTION.share), 'a shared answer has nothing left to share').toBeUndefined();
    expect(retired).toMatchObject({ replace_original: true, text: 'Shared in this channel.' });
  });

  it('refuses to share into a channel that may not read a cited document, and posts nothing', async () => {
    h = await startHarness({ records: true });
    h.answerer.script = async () => reply('The bonus pool is 12% [1].', { citations: [HR_CITATION] });
    // U9 may read hr: asked privately in C1 (public only), the answer may draw on hr.
    const body = await ask('private what is the bonus pool?', 'U9', 'C1', 'p1');
    expect(body.response_type).toBe('ephemeral');
    expect(h.answerer.requests[0]!.accessGroups).toEqual(expect.arrayContaining(['hr']));
    await click(ANSWER_ACTION.share, button(body, ANSWER_ACTION.share)!.value!, 'U9', 'C1', 's1', { ephemeral: true });
    await h.fake.waitFor(() => h.fake.responsesTo('s1').length === 1, 5000, 'the refusal');
    await new Promise((r) => setTimeout(r, 150));
    const responses = h.fake.responsesTo('s1').map((r) => r.body as Body);
    expect(responses).toEqual([expect.objectContaining({ response_type: 'ephemeral', replace_original: false, text: expect.stringMatching(/can't share this answer here.*Bonus policy.*Nothing was posted/) })]);
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);

    // The same answer asked in CHR (mapped to hr) may be shared there.
    const inHr = await ask('private what is the bonus pool?', 'U9', 'CHR', 'p2');
    await click(ANSWER_ACTION.share, button(inHr, ANSWER_ACTION.share)!.value!, 'U9', 'CHR', 's2', { ephemeral: true });
    await h.fake.waitFor(() => h.fake.responsesTo('s2').length === 2, 5000, 'the shared answer in CHR');
    expect(h.fake.responsesTo('s2')[0]!.body).toMatchObject({ response_type: 'in_channel' });
  });

  it('tells the user when the answer is no longer kept', async () => {
    h = await startHarness({ records: true });
    await click(ANSWER_ACTION.share, 'no-such-request', 'U1', 'C1', 's1', { ephemeral: true });
    await h.fake.waitFor(() => h.fake.responsesTo('s1').length === 1, 5000, 'the notice');
    expect(h.fake.responsesTo('s1')[0]!.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/no longer have that answer/) });
  });
});

describe('Slack: Still need help?', () => {
  const HANDOFF = { usergroup: 'S0HELP', users: ['UOPS'] };

  /** Mentions Cairn in C1 and resolves with its answer message (the one with buttons). */
  async function mentionAnswer(text: string) {
    const ts = `1700000100.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    await sendEvent(h.url, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@UBOT> ${text}`, ts }));
    let answer: ReturnType<Harness['fake']['botMessages']>[number] | undefined;
    await h.fake.waitFor(() => !!(answer = h.fake.botMessages('C1').find((m) => m.thread_ts === ts && (m.blocks ?? []).some((b) => b.type === 'actions'))), 5000, 'the answer');
    return { answer: answer!, threadTs: ts };
  }

  it('is absent without SLACK_HANDOFF_* config', async () => {
    h = await startHarness({ records: true });
    const { answer } = await mentionAnswer('how do I deploy?');
    expect(button(answer as Body, ANSWER_ACTION.handoff)).toBeUndefined();
  });

  it('mentions the group and users once in the thread with the question; a second click only says so', async () => {
    h = await startHarness({ records: true, handoff: HANDOFF });
    const { answer, threadTs } = await mentionAnswer('how do I rotate the VPN token\n when it expired?');
    const handoff = button(answer as Body, ANSWER_ACTION.handoff)!;
    expect(handoff.value).toBe(h.answerer.requests[0]!.requestId);
    expect(handoff.style, 'a supported answer does not push the hand-off').toBeUndefined();
    await click(ANSWER_ACTION.handoff, handoff.value!, 'U1', 'C1', 'h1', { messageTs: answer.ts, threadTs });
    await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').some((c) => String(c.args.text).includes('subteam')), 5000, 'the hand-off');
    await click(ANSWER_ACTION.handoff, handoff.value!, 'U2', 'C1', 'h2', { messageTs: answer.ts, threadTs });
    await h.fake.waitFor(() => h.fake.responsesTo('h2').length === 1, 5000, 'the second click’s notice');

    const mentions = h.fake.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('<!subteam^S0HELP>'));
    expect(mentions).toHaveLength(1);
    expect(mentions[0]!.args).toMatchObject({ channel: 'C1', thread_ts: threadTs });
    expect(mentions[0]!.args.text).toBe('<!subteam^S0HELP> <@UOPS> — <@U1> still needs help with this question: “how do I rotate the VPN token when it expired?”');
    expect(h.fake.responsesTo('h2')[0]!.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/already handed to a person/) });
    expect(h.fake.responsesTo('h1')).toEqual([]);
    // Recorded: the metric counts one hand-off, and the store keeps it (the answer now counts as a gap).
    await expect.poll(() => h.metrics!.registry.getSingleMetricAsString('cairn_handoffs_total')).toContain('cairn_handoffs_total{platform="slack"} 1');
    expect(h.store!.claimHandOff({ requestId: handoff.value!, platform: 'slack', channelId: 'C1', userId: 'U3', at: new Date().toISOString() })).toBe(false);
    expect(h.store!.weakAnswers().map((e) => e.requestId)).toEqual([handoff.value]);
  });

  it('offers the hand-off first under a decline, and a failed post can be retried', async () => {
    h = await startHarness({ records: true, handoff: { users: ['UOPS'] } });
    h.answerer.script = async () => reply("I couldn't find that in the docs.", { citations: [], grounding: { verdict: 'unsupported', confidence: 0 } });
    const { answer, threadTs } = await mentionAnswer('what is the parking policy?');
    const actions = (answer.blocks as Block[]).find((b) => b.type === 'actions')!;
    expect(actions.elements![0]).toMatchObject({ action_id: ANSWER_ACTION.handoff, style: 'primary' });
    expect(JSON.stringify(answer.blocks)).toContain('A person can pick this up');
    const requestId = actions.elements![0]!.value!;

    h.fake.failNext('chat.postMessage', 'not_in_channel');
    await click(ANSWER_ACTION.handoff, requestId, 'U1', 'C1', 'h1', { messageTs: answer.ts, threadTs });
    await h.fake.waitFor(() => h.fake.responsesTo('h1').length === 1, 5000, 'the apology');
    expect(h.fake.responsesTo('h1')[0]!.body).toMatchObject({ text: expect.stringMatching(/Sorry — something went wrong while handing off/) });
    await click(ANSWER_ACTION.handoff, requestId, 'U1', 'C1', 'h2', { messageTs: answer.ts, threadTs });
    await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').some((c) => String(c.args.text).startsWith('<@UOPS>') && c.args.thread_ts === threadTs), 5000, 'the retried hand-off');
    await expect.poll(() => h.metrics!.registry.getSingleMetricAsString('cairn_handoffs_total')).toContain('cairn_handoffs_total{platform="slack"} 1');
  });

  it('is not offered under a private answer (nobody else would see the mention)', async () => {
    h = await startHarness({ records: true, handoff: HANDOFF });
    const body = await ask('private how do I deploy?', 'U1', 'C1', 'p1');
    expect(button(body, ANSWER_ACTION.share)).toBeDefined();
    expect(button(body, ANSWER_ACTION.handoff)).toBeUndefined();
  });
});
