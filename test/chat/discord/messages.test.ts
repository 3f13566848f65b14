import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CairnError } from '../../../src/core/errors.js';
import { user, type DiscordPayload } from '../../fakes/discord-server.js';
import { ALICE, CHANNEL_A, CHANNEL_B, DM_CHANNEL, DM_USER, reply, settle, startHarness, type Harness } from './harness.js';

let h: Harness;
const mention = (): string => `<@${h.fake.botUser.id}>`;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => {
  h.answer = async (req) => reply(`You asked: ${req.question} [1][2]`);
});
afterAll(async () => {
  await h?.close();
});

/** Mentions the bot in a channel and waits for the final answer in the thread started from it. */
async function askInChannel(channelId: string, question: string): Promise<{ threadId: string; answer: DiscordPayload }> {
  const asked = h.fake.say(channelId, `${mention()} ${question}`);
  await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/channels/${channelId}/messages/${asked.id}/threads`);
  const answer = await h.fake.until(() => h.botMessages(asked.id).find((m) => m.components.length > 0 || /Sorry/.test(m.content)));
  return { threadId: asked.id, answer };
}

describe('Discord adapter: messages', () => {
  it('registers the slash commands for the application at startup', async () => {
    const put = await h.fake.waitFor((c) => c.method === 'PUT');
    expect(put.path).toBe(`/applications/${h.fake.applicationId}/commands`);
    expect(put.authorization).toBe('Bot test-token');
    expect(put.body.map((c: { name: string }) => c.name)).toEqual(['ask', 'cairn-reindex', 'cairn-sources', 'cairn-status', 'cairn-gaps', 'cairn-channel']);
  });

  it('answers a mention in a new thread started from the message, with sources and feedback buttons', async () => {
    const { threadId, answer } = await askInChannel(CHANNEL_A, 'How do I deploy?');
    const thread = h.fake.calls.find((c) => c.path === `/channels/${CHANNEL_A}/messages/${threadId}/threads`)!;
    expect(thread.body.name).toBe('How do I deploy?');
    // The working message came first, then was edited into the answer.
    const posts = h.fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${threadId}/messages`);
    expect(posts[0]!.body.content).toMatch(/Looking into it/);
    expect(answer.content).toBe('You asked: How do I deploy? [1][2]');
    const embed = answer.embeds[0];
    expect(embed.title).toBe('Sources');
    expect(embed.description).toContain('[Deploy guide](https://docs.example.com/deploy)');
    expect(embed.description).toContain('Runbook · `runbooks/oncall.md`');
    const ids = answer.components[0].components.map((b: { custom_id: string }) => b.custom_id);
    const req = h.requests.at(-1)!;
    expect(ids).toEqual([`cairn:vote:up:${req.requestId}`, `cairn:vote:down:${req.requestId}`]);
    expect(req).toMatchObject({ question: 'How do I deploy?', platform: 'discord', channelId: CHANNEL_A, threadId, history: [], accessGroups: ['team-a'] });
    expect(h.fake.messagesIn(CHANNEL_A)).toHaveLength(1); // nothing posted in the channel itself
  });

  it('answers a follow-up in its thread without a mention, with the thread history and the parent channel’s access groups', async () => {
    const { threadId } = await askInChannel(CHANNEL_A, 'Where are the runbooks?');
    h.fake.say(threadId, 'And who is on call?');
    await h.botSays(threadId, /You asked: And who is on call\?/);
    const req = h.requests.at(-1)!;
    expect(req.channelId).toBe(CHANNEL_A);
    expect(req.threadId).toBe(threadId);
    expect(req.accessGroups).toEqual(['team-a']);
    expect(req.history).toEqual([
      { role: 'user', text: 'Where are the runbooks?' },
      { role: 'assistant', text: 'You asked: Where are the runbooks? [1][2]' },
    ]);
  });

  it('gives a thread of channel B channel B’s access groups, not A’s', async () => {
    const { threadId } = await askInChannel(CHANNEL_B, 'What is in B?');
    expect(h.requests.at(-1)!.accessGroups).toEqual(['team-b']);
    h.fake.say(threadId, 'More about B please');
    await h.botSays(threadId, /More about B please/);
    expect(h.requests.at(-1)).toMatchObject({ channelId: CHANNEL_B, accessGroups: ['team-b'] });
  });

  it('answers a DM with the user’s access groups', async () => {
    h.fake.say(DM_CHANNEL, 'What is our leave policy?', DM_USER);
    await h.botSays(DM_CHANNEL, /You asked: What is our leave policy\?/);
    expect(h.requests.at(-1)).toMatchObject({ channelId: DM_CHANNEL, accessGroups: ['dm-group'], asker: { id: DM_USER.id, name: 'dora' }, history: [] });
    h.fake.say(DM_CHANNEL, 'And for part-timers?', DM_USER);
    await h.botSays(DM_CHANNEL, /You asked: And for part-timers\?/);
    expect(h.requests.at(-1)!.history).toEqual([
      { role: 'user', text: 'What is our leave policy?' },
      { role: 'assistant', text: 'You asked: What is our leave policy? [1][2]' },
    ]);
  });

  it('ignores other bots, itself, empty messages and channel messages that do not mention it', async () => {
    const { threadId } = await askInChannel(CHANNEL_A, 'Baseline question');
    const before = h.requests.length;
    const callsBefore = h.fake.calls.length;
    h.fake.say(CHANNEL_A, `${mention()} I am a bot`, user('100000000000000077', 'otherbot', true));
    h.fake.say(threadId, 'I am Cairn talking to myself', h.fake.botUser);
    h.fake.say(DM_CHANNEL, '   ', DM_USER);
    h.fake.say(CHANNEL_A, 'just chatting, no mention');
    await settle();
    expect(h.requests.length).toBe(before);
    // Not a single REST call: no thread, no typing, no reply.
    expect(h.fake.calls.slice(callsBefore)).toEqual([]);
  });

  it('splits a long answer with a code block under 2,000 characters, fences balanced, nothing lost', async () => {
    const code = Array.from({ length: 120 }, (_, i) => `const value${i} = compute(${i}); // step ${i}`).join('\n');
    const prose = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} explains one more detail.`).join(' ');
    h.answer = async () => reply(`${prose}\n\n\`\`\`ts\n${code}\n\`\`\`\n\nThat is all [1].`);
    const { threadId } = await askInChannel(CHANNEL_A, 'Show me the code');
    const parts = h.botMessages(threadId);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) {
      expect(p.content.length).toBeLessThanOrEqual(2000);
      expect((p.content.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    const all = parts.map((p) => p.content).join('\n');
    for (let i = 0; i < 120; i++) expect(all).toContain(`const value${i} = compute(${i}); // step ${i}`);
    expect(all).toContain('Sentence number 39 explains one more detail.');
    expect(parts.at(-1)!.content).toMatch(/That is all \[1\]\.$/);
    expect(parts.slice(0, -1).every((p) => (p.components ?? []).length === 0 && (p.embeds ?? []).length === 0)).toBe(true);
    expect(parts.at(-1)!.embeds).toHaveLength(1);
  });

  it('shows progress while answering and adds a low-confidence line to a partly grounded answer', async () => {
    h.answer = async (req) => {
      req.onProgress?.({ kind: 'status', step: 'retrieving' });
      await settle(120);
      return reply('Probably yes [1].', { grounding: { verdict: 'partial', confidence: 0.7 } });
    };
    const { threadId, answer } = await askInChannel(CHANNEL_A, 'Is it supported?');
    const edits = h.fake.calls.filter((c) => c.method === 'PATCH' && c.path.startsWith(`/channels/${threadId}/messages/`)).map((c) => c.body.content);
    expect(edits).toEqual(['🔎 Searching the docs…', expect.stringContaining('Probably yes [1].')]);
    expect(answer.content).toMatch(/Low confidence/);
  });

  it('apologises naming the language model when it is down, then answers the next question', async () => {
    h.answer = async () => {
      throw new CairnError('LLM_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:1');
    };
    const { threadId } = await askInChannel(CHANNEL_A, 'Will this fail?');
    const sorry = await h.botSays(threadId, /language model is unavailable/);
    expect(sorry.content).not.toMatch(/ECONNREFUSED|\.ts:/);
    expect(sorry.components).toEqual([]);
    h.answer = async (req) => reply(`Back: ${req.question}`);
    h.fake.say(threadId, 'Try again?');
    await h.botSays(threadId, /Back: Try again\?/);
  });

  it('records a 👍 click against the answer’s request and acknowledges it privately', async () => {
    h.answer = async () => reply('Rated answer [1].');
    const { threadId, answer } = await askInChannel(CHANNEL_A, 'Rate me');
    const requestId = h.requests.at(-1)!.requestId!;
    const click = h.fake.click(answer, `cairn:vote:up:${requestId}`, ALICE.id);
    const ack = await h.fake.waitFor((c) => c.path === `/interactions/${click.id}/${click.token}/callback`);
    expect(ack.body).toEqual({ type: 5, data: { flags: 64 } });
    const thanks = await h.fake.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`/${click.token}/messages/@original`));
    expect(thanks.body.content).toMatch(/^Thanks/);
    expect(h.votes).toEqual([expect.objectContaining({ requestId, vote: 'up', platform: 'discord', userId: ALICE.id, channelId: CHANNEL_A })]);
    expect(threadId).toBe(answer.channel_id);
  });

  it('answers in the channel when it may not start a thread', async () => {
    h.fake.failNext((c) => c.path.endsWith('/threads'));
    const asked = h.fake.say(CHANNEL_B, `${mention()} No threads here?`);
    const answer = await h.botSays(CHANNEL_B, /You asked: No threads here\?/);
    expect(answer.message_reference).toMatchObject({ message_id: asked.id });
    expect(h.requests.at(-1)).toMatchObject({ channelId: CHANNEL_B, accessGroups: ['team-b'] });
  });

  it('still ends with a short visible apology when posting the answer fails', async () => {
    h.fake.failNext((c) => c.method === 'PATCH' && (c.body?.components ?? []).length > 0);
    const { threadId } = await askInChannel(CHANNEL_A, 'Will the post fail?');
    const sorry = await h.botSays(threadId, /^Sorry — something went wrong on my side/);
    expect(sorry.components).toEqual([]);
    // As on Slack, the apology carries the reference its log line has.
    expect(sorry.content).toMatch(/^Sorry — something went wrong on my side while answering\. Please try again\. \(ref [0-9a-f]{8}\)$/);
  });
});
