import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingAnswerer, recordingAnswers } from '../../../src/app/feedback-recording.js';
import type { AnswerReply, AnswerRequest, Citation } from '../../../src/core/answer.js';
import { FeedbackStore } from '../../../src/feedback/feedback-store.js';
import { Metrics } from '../../../src/observability/metrics.js';
import type { DiscordPayload, RecordedCall } from '../../fakes/discord-server.js';
import { ALICE, CHANNEL_A, DM_USER, reply, startHarness, type Harness, type HarnessOptions } from './harness.js';

const ROLE = '400000000000000002';
const PRIVATE_CITATION: Citation = { n: 1, title: 'Dora’s notes', source: 'private/notes.md', snippet: 'Secret notes.', chunkId: 'n1', accessGroup: 'dm-group' };

let h: Harness;
let dir = '';
let store: FeedbackStore;
let metrics: Metrics;
/** What the answerer replies; each test sets it. Answers are recorded in a real feedback.sqlite. */
let script: (req: AnswerRequest) => AnswerReply;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cairn-discord-buttons-'));
  store = new FeedbackStore(dir);
  metrics = new Metrics();
  script = (req) => reply(`You asked: ${req.question} [1][2]`);
});
afterEach(async () => {
  await h?.close();
  store.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(opts: Partial<HarnessOptions> = {}): Promise<void> {
  const logger = pino({ level: 'silent' });
  h = await startHarness({ answers: recordingAnswers(store, metrics, logger), ...opts });
  const recorded = recordingAnswerer({ answer: async (req) => script(req) }, store, metrics, logger);
  h.answer = (req) => recorded.answer(req);
}

const isCallback = (it: { id: string; token: string }) => (c: RecordedCall) => c.path === `/interactions/${it.id}/${it.token}/callback`;
const followUpsOf = (it: { token: string }) => h.fake.calls.filter((c) => c.method === 'POST' && c.path.endsWith(`/${it.token}`));
const buttonsOf = (m: DiscordPayload): Array<{ custom_id: string; style: number }> => (m.components ?? []).flatMap((r: DiscordPayload) => r.components);

/** `/ask` with options; resolves with the answer message (the deferred reply, edited) once it has its buttons. */
async function ask(options: Record<string, string | boolean>, userId = ALICE.id) {
  const it = h.fake.command('ask', options, { channelId: CHANNEL_A, userId });
  const deferred = await h.fake.waitFor(isCallback(it));
  await h.fake.waitFor((c) => c.method === 'PATCH' && c.path.includes(it.token) && (c.body.components ?? []).length > 0);
  const answer = h.botMessages(CHANNEL_A).findLast((m) => m.components.length > 0);
  return { it, deferred, answer };
}

describe('Discord: /ask private and Share in channel', () => {
  it('registers `private` as a boolean option of /ask', async () => {
    await start();
    const put = await h.fake.waitFor((c) => c.method === 'PUT' && c.path.endsWith('/commands'));
    const askDef = put.body.find((c: DiscordPayload) => c.name === 'ask');
    expect(askDef.options).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'private', type: 5, required: false })]));
  });

  it('/ask private is an ephemeral reply drawn on the asker’s groups there, with a Share button; without it, a public one', async () => {
    await start();
    const { deferred, answer } = await ask({ question: 'How do I deploy?', private: true });
    expect(deferred.body).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(h.requests[0]!.accessGroups).toEqual(['public', 'team-a']);
    expect(buttonsOf(answer).map((b) => b.custom_id)).toContain(`cairn:share:${h.requests[0]!.requestId}`);
    const open = await ask({ question: 'How do I deploy?' });
    expect(open.deferred.body.data?.flags ?? 0).toBe(0);
    expect(buttonsOf(open.answer).some((b) => b.custom_id.startsWith('cairn:share:'))).toBe(false);
  });

  it('Share posts the answer publicly with its sources, and retires the private copy', async () => {
    await start();
    const { answer } = await ask({ question: 'How do I deploy?', private: true });
    const share = buttonsOf(answer).find((b) => b.custom_id.startsWith('cairn:share:'))!;
    const click = h.fake.click(answer, share.custom_id, ALICE.id);
    await h.fake.waitFor((c) => c.method === 'PATCH' && c.path.includes(click.token));
    expect(h.fake.calls.find(isCallback(click))!.body).toEqual({ type: 6 });
    const [posted] = followUpsOf(click);
    expect(posted!.body.flags ?? 0).toBe(0);
    expect(posted!.body.content).toContain(`Shared by <@${ALICE.id}>`);
    expect(posted!.body.content).toContain('> How do I deploy?');
    expect(posted!.body.content).toContain('You asked: How do I deploy? [1][2]');
    expect(JSON.stringify(posted!.body.embeds)).toContain('Deploy guide');
    expect(posted!.body.allowed_mentions).toEqual({ parse: [] });
    expect(h.botMessages(CHANNEL_A).find((m) => m.id === answer.id)).toMatchObject({ content: 'Shared in this channel.', components: [] });
  });

  it('refuses to share into a channel that may not read a cited document, and posts nothing', async () => {
    await start();
    script = () => reply('From your notes [1].', { citations: [PRIVATE_CITATION] });
    // Dora may read dm-group: asked privately in team-a, the answer may draw on it.
    const { answer } = await ask({ question: 'What do my notes say?', private: true }, DM_USER.id);
    expect(h.requests[0]!.accessGroups).toContain('dm-group');
    const share = buttonsOf(answer).find((b) => b.custom_id.startsWith('cairn:share:'))!;
    const click = h.fake.click(answer, share.custom_id, DM_USER.id);
    await h.fake.until(() => followUpsOf(click).length > 0);
    await new Promise((r) => setTimeout(r, 150));
    const posts = followUpsOf(click);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ flags: 64, content: expect.stringMatching(/can't share this answer here.*Dora’s notes.*Nothing was posted/) });
    expect(h.botMessages(CHANNEL_A).find((m) => m.id === answer.id)!.content).toContain('From your notes');
  });
});

describe('Discord: Still need help?', () => {
  /** Mentions the bot in team-a; resolves with the answer in the new thread. */
  async function mentionAnswer(question: string) {
    const asked = h.fake.say(CHANNEL_A, `<@${h.fake.botUser.id}> ${question}`);
    return h.fake.until(() => h.botMessages(asked.id).find((m) => m.components.length > 0));
  }

  it('is absent without DISCORD_HANDOFF_ROLE', async () => {
    await start();
    const answer = await mentionAnswer('How do I deploy?');
    expect(buttonsOf(answer).some((b) => b.custom_id.startsWith('cairn:handoff:'))).toBe(false);
  });

  it('mentions the role once, allowing only that role to be pinged; a second click only says so; it is counted and stored', async () => {
    await start({ config: { handoffRoleId: ROLE } });
    const answer = await mentionAnswer('How do I rotate the VPN token @everyone?');
    const requestId = h.requests[0]!.requestId!;
    const handoff = buttonsOf(answer).find((b) => b.custom_id === `cairn:handoff:${requestId}`)!;
    expect(handoff.style).toBe(2);
    const first = h.fake.click(answer, handoff.custom_id, ALICE.id);
    await h.fake.until(() => followUpsOf(first).length > 0);
    const second = h.fake.click(answer, handoff.custom_id, '100000000000000005');
    await h.fake.until(() => followUpsOf(second).length > 0);

    const mentions = h.fake.calls.filter((c) => c.method === 'POST' && String(c.body?.content ?? '').includes(`<@&${ROLE}>`));
    expect(mentions).toHaveLength(1);
    expect(mentions[0]!.body.content).toBe(`<@&${ROLE}> — <@${ALICE.id}> still needs help with this question: “How do I rotate the VPN token @everyone?”`);
    expect(mentions[0]!.body.allowed_mentions).toEqual({ roles: [ROLE] });
    expect(mentions[0]!.body.flags ?? 0).toBe(0);
    expect(h.fake.messagesIn(answer.channel_id).some((m) => m.content.includes(`<@&${ROLE}>`)), 'posted in the answer’s thread').toBe(true);
    expect(followUpsOf(second)[0]!.body).toMatchObject({ flags: 64, content: expect.stringMatching(/already handed to a person/) });
    await expect.poll(() => metrics.registry.getSingleMetricAsString('cairn_handoffs_total')).toContain('cairn_handoffs_total{platform="discord"} 1');
    expect(store.weakAnswers().map((e) => e.requestId)).toEqual([requestId]);
  });

  it('offers the hand-off first, highlighted, under a decline', async () => {
    await start({ config: { handoffRoleId: ROLE } });
    script = () => reply("I couldn't find that in the docs.", { citations: [], grounding: { verdict: 'unsupported', confidence: 0 } });
    const answer = await mentionAnswer('What is the parking policy?');
    const [firstButton] = buttonsOf(answer);
    expect(firstButton).toMatchObject({ custom_id: expect.stringMatching(/^cairn:handoff:/), style: 1 });
    expect(answer.content).toContain('A person can pick this up');
  });

  it('tells only the clicker when the store is down, and leaves the answer as it was', async () => {
    h = await startHarness({ config: { handoffRoleId: ROLE }, answers: { find: async () => null, handOff: async () => Promise.reject(new Error('PostgreSQL unreachable')) } });
    const answer = await mentionAnswer('How do I deploy?');
    const handoff = buttonsOf(answer).find((b) => b.custom_id.startsWith('cairn:handoff:'))!;
    const click = h.fake.click(answer, handoff.custom_id, ALICE.id);
    await h.fake.until(() => followUpsOf(click).length > 0);
    expect(followUpsOf(click).map((c) => c.body)).toEqual([expect.objectContaining({ flags: 64, content: expect.stringMatching(/^Sorry — something went wrong while handing off to a person\. Please try again\. \(ref \w+\)$/) })]);
    expect(h.fake.messagesIn(answer.channel_id).find((m) => m.id === answer.id)).toMatchObject({ content: answer.content, components: answer.components });
  });

  it('is not offered under a private /ask answer', async () => {
    await start({ config: { handoffRoleId: ROLE } });
    const { answer } = await ask({ question: 'How do I deploy?', private: true });
    expect(buttonsOf(answer).some((b) => b.custom_id.startsWith('cairn:handoff:'))).toBe(false);
  });
});
