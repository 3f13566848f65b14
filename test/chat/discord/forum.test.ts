import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteChannelSettings } from '../../../src/shared-state/channel-settings.js';
import { user, type RecordedCall } from '../../fakes/discord-server.js';
import { ADMIN_ROLE, ALICE, CHANNEL_A, FORUM, settle, startHarness, type Harness, type HarnessOptions } from './harness.js';

const BOB = user('100000000000000009', 'bob');

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const start = async (opts: HarnessOptions = {}) => (h = await startHarness(opts));
const onForum = () => start({ config: { autoAnswerChannels: [FORUM] } });

/** The final answer in a post: the working message edited into one with sources and buttons. */
const answerIn = (harness: Harness, threadId: string, match: RegExp) => harness.botSays(threadId, match);

const callback = (it: { id: string; token: string }) => (c: RecordedCall): boolean => c.path === `/interactions/${it.id}/${it.token}/callback`;

describe('Discord forums answered without a mention', () => {
  it('answers a new post in the post, from its title and text, with the forum’s access groups', async () => {
    const harness = await onForum();
    const post = harness.fake.forumPost(FORUM, 'Deploy fails on ARM', 'The build step exits with code 137.');
    const answer = await answerIn(harness, post.id, /^You asked: Deploy fails on ARM/);
    expect(answer.components).toHaveLength(1);
    expect(harness.requests[0]).toMatchObject({
      question: 'Deploy fails on ARM\n\nThe build step exits with code 137.', channelId: FORUM, threadId: post.id, history: [], accessGroups: ['support'],
    });
    // A post whose text already names its title is asked as written.
    const plain = harness.fake.forumPost(FORUM, 'VPN', 'How do I connect to the VPN?');
    await answerIn(harness, plain.id, /^You asked: How do I connect to the VPN\?/);
    expect(harness.requests[1]!.question).toBe('How do I connect to the VPN?');
    // Nothing was posted anywhere else, and no thread was started: the post is the thread.
    expect(harness.fake.calls.filter((c) => c.method === 'POST' && /\/threads$/.test(c.path))).toHaveLength(0);
  });

  it('answers the asker’s follow-up in the post like a thread follow-up, with the post as history', async () => {
    const harness = await onForum();
    const post = harness.fake.forumPost(FORUM, 'VPN', 'How do I connect to the VPN?');
    await answerIn(harness, post.id, /^You asked: How do I connect to the VPN\?/);
    harness.fake.say(post.id, 'And from a phone?', ALICE);
    await answerIn(harness, post.id, /^You asked: And from a phone\?/);
    const req = harness.requests.at(-1)!;
    expect(req).toMatchObject({ channelId: FORUM, threadId: post.id });
    expect(req.history.map((t) => t.role)).toEqual(['user', 'assistant']);
    expect(req.history[0]!.text).toBe('How do I connect to the VPN?');
  });

  it('stays quiet once another member replies in the post, and answers when mentioned again', async () => {
    const harness = await onForum();
    const post = harness.fake.forumPost(FORUM, 'Billing', 'Who owns billing?');
    await answerIn(harness, post.id, /^You asked: Who owns billing\?/);
    harness.fake.say(post.id, 'That is the payments team, ping #payments', BOB);
    await settle(100); // people do not reply within the same millisecond
    harness.fake.say(post.id, 'thanks, and who is on call there?', ALICE);
    await settle(300);
    expect(harness.requests).toHaveLength(1);
    harness.fake.say(post.id, `<@${harness.fake.botUser.id}> is there a runbook for payments?`, ALICE);
    await answerIn(harness, post.id, /^You asked: is there a runbook for payments\?/);
    expect(harness.requests).toHaveLength(2);
  });

  it('leaves posts alone in a forum that is not switched on, and plain channel messages too', async () => {
    const harness = await start();
    harness.fake.forumPost(FORUM, 'Question', 'How do I deploy?');
    harness.fake.say(CHANNEL_A, 'How do I deploy?');
    await settle(300);
    expect(harness.requests).toHaveLength(0);
  });
});

describe('Discord /cairn-channel', () => {
  it('an admin switches the forum of the post on and off; the private reply says the new state', async () => {
    const harness = await start();
    const first = harness.fake.forumPost(FORUM, 'Setup', 'How do I set up the CLI?');
    await settle(200);
    expect(harness.requests).toHaveLength(0);

    const on = harness.fake.command('cairn-channel', { auto: 'on' }, { channelId: first.id, roles: [ADMIN_ROLE] });
    expect((await harness.fake.waitFor(callback(on))).body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(new RegExp(`^Auto-answer is now \\*\\*on\\*\\* in <#${FORUM}>`)) } });
    const second = harness.fake.forumPost(FORUM, 'Proxy', 'Does the CLI support proxies?');
    await answerIn(harness, second.id, /^You asked: Proxy/);

    const off = harness.fake.command('cairn-channel', { auto: 'off' }, { channelId: second.id, roles: [ADMIN_ROLE] });
    expect((await harness.fake.waitFor(callback(off))).body.data.content).toMatch(/^Auto-answer is now \*\*off\*\*/);
    harness.fake.forumPost(FORUM, 'Later', 'Can I script it?');
    await settle(300);
    expect(harness.requests).toHaveLength(1);
  });

  it('refuses a member without an admin role, and says where it works when run outside a forum', async () => {
    const harness = await onForum();
    const post = harness.fake.forumPost(FORUM, 'Setup', 'How do I set up the CLI?');
    await answerIn(harness, post.id, /^You asked: Setup/);
    const refused = harness.fake.command('cairn-channel', { auto: 'off' }, { channelId: post.id, roles: [] });
    expect((await harness.fake.waitFor(callback(refused))).body.data).toMatchObject({ flags: 64, content: expect.stringMatching(/only Cairn admins/) });
    const elsewhere = harness.fake.command('cairn-channel', { auto: 'on' }, { channelId: CHANNEL_A, roles: [ADMIN_ROLE] });
    expect((await harness.fake.waitFor(callback(elsewhere))).body.data.content).toMatch(/inside any post of the forum/);
    // Still on: the refused switch changed nothing.
    const next = harness.fake.forumPost(FORUM, 'Again', 'What about Windows?');
    await answerIn(harness, next.id, /^You asked: Again/);
  });

  it('the switch survives a restart (a new adapter over the same channels.sqlite)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cairn-channels-'));
    try {
      const before = new SqliteChannelSettings(dir);
      const first = await start({ deps: { channelSettings: before } });
      const post = first.fake.forumPost(FORUM, 'Setup', 'How do I set up the CLI?');
      const on = first.fake.command('cairn-channel', { auto: 'on' }, { channelId: post.id, roles: [ADMIN_ROLE] });
      await first.fake.waitFor(callback(on));
      await first.close();
      h = undefined;
      await before.close();

      const after = new SqliteChannelSettings(dir);
      let second: Harness | undefined;
      try {
        second = await start({ deps: { channelSettings: after } });
        const next = second.fake.forumPost(FORUM, 'Proxy', 'Does the CLI support proxies?');
        await answerIn(second, next.id, /^You asked: Proxy/);
      } finally {
        await second?.close();
        h = undefined;
        await after.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
