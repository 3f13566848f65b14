import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../fakes/discord-server.js';
import { ADMIN_ROLE, ALICE, CHANNEL_A, DM_USER, FORUM, settle, startHarness, type Harness } from './harness.js';

// The harness maps CHANNEL_A to team-a and FORUM to support, gives DM_USER the group dm-group and
// everyone else `public`.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const callback = (it: { id: string }) => (c: RecordedCall): boolean => c.method === 'POST' && c.path === `/interactions/${it.id}/tok-${it.id}/callback`;
const original = (it: { token: string }) => (c: RecordedCall): boolean => c.method === 'PATCH' && c.path === `/webhooks/${h.fake.applicationId}/${it.token}/messages/@original`;

async function ask(where: Parameters<Harness['fake']['command']>[2]): Promise<{ ephemeral: boolean; groups: string[] }> {
  const it = h.fake.command('ask', { question: 'what is the bonus?' }, where);
  const deferred = await h.fake.waitFor(callback(it));
  await h.fake.waitFor((c) => original(it)(c) && /what is the bonus\? \[1\]/.test(c.body.content));
  return { ephemeral: (deferred.body.data?.flags ?? 0) === 64, groups: h.requests.at(-1)!.accessGroups };
}

describe('Discord: who sees the answer decides what it may cite', () => {
  it('/ask in a DM or group DM between people (a user-installed command) never uses the invoker’s private groups in a shared answer', async () => {
    expect(await ask({ channelId: '600000000000000001', userId: DM_USER.id, between: 'dm' })).toEqual({ ephemeral: true, groups: ['dm-group'] });
    expect(await ask({ channelId: '600000000000000002', userId: DM_USER.id, between: 'group' })).toEqual({ ephemeral: true, groups: ['dm-group'] });
    expect(await ask({ channelId: '600000000000000002', userId: ALICE.id, between: 'group' })).toEqual({ ephemeral: false, groups: ['public'] });
  });

  it('/ask in the bot’s own DM uses the user’s groups; in a channel, the channel’s', async () => {
    expect(await ask({ channelId: '500000000000000009', userId: DM_USER.id })).toEqual({ ephemeral: false, groups: ['dm-group'] });
    expect(await ask({ channelId: CHANNEL_A, userId: ALICE.id })).toEqual({ ephemeral: false, groups: ['team-a'] });
    // DM_USER may read dm-group beyond team-a: answered privately.
    expect(await ask({ channelId: CHANNEL_A, userId: DM_USER.id })).toEqual({ ephemeral: true, groups: ['dm-group', 'team-a'] });
  });

  it('a forum post that mentions Cairn is answered with the forum’s groups', async () => {
    const post = h.fake.forumPost(FORUM, 'Bonus question', `<@${h.fake.botUser.id}> what is the bonus?`);
    await h.botSays(post.id, /what is the bonus\?/);
    expect(h.requests.at(-1)).toMatchObject({ channelId: FORUM, accessGroups: ['support'] });
  });

  it('/cairn-status shows a non-admin only their conversation’s view, an admin everything', async () => {
    const before = h.admin.statusAsked.length;
    h.fake.command('cairn-status', {}, { channelId: CHANNEL_A, userId: ALICE.id, roles: [] });
    h.fake.command('cairn-status', {}, { channelId: CHANNEL_A, userId: ALICE.id, roles: [ADMIN_ROLE] });
    await h.fake.until(() => h.admin.statusAsked.length === before + 2);
    await settle();
    expect(h.admin.statusAsked.slice(before)).toEqual(expect.arrayContaining([
      { admin: false, groups: ['team-a'], platform: 'discord', channelId: CHANNEL_A },
      { admin: true },
    ]));
  });
});
