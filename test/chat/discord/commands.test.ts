import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROLE, ALICE, CHANNEL_A, CHANNEL_B, DM_CHANNEL, DM_USER, settle, startHarness, type Harness } from './harness.js';
import type { RecordedCall } from '../../fakes/discord-server.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const callback = (it: { id: string; token: string }) => (c: RecordedCall): boolean => c.path === `/interactions/${it.id}/${it.token}/callback`;
const original = (it: { token: string }) => (c: RecordedCall): boolean => c.method === 'PATCH' && c.path === `/webhooks/${h.fake.applicationId}/${it.token}/messages/@original`;
const followUp = (it: { token: string }) => (c: RecordedCall): boolean => c.method === 'POST' && c.path === `/webhooks/${h.fake.applicationId}/${it.token}`;
const edits = (it: { token: string }): string[] => h.fake.calls.filter(original(it)).map((c) => c.body.content);

describe('Discord adapter: slash commands', () => {
  it('/ask defers at once, then edits the reply into the cited answer', async () => {
    const it = h.fake.command('ask', { question: 'How do I deploy?' }, { channelId: CHANNEL_B, userId: ALICE.id });
    const deferred = await h.fake.waitFor(callback(it));
    expect(deferred.body.type).toBe(5);
    expect(deferred.authorization).toBeUndefined();
    const answer = await h.fake.waitFor((c) => original(it)(c) && (c.body.components ?? []).length > 0);
    expect(answer.body.content).toBe('> How do I deploy?\n\nYou asked: How do I deploy? [1][2]');
    expect(answer.body.embeds[0].description).toContain('[Deploy guide](https://docs.example.com/deploy)');
    expect(h.requests.at(-1)).toMatchObject({ channelId: CHANNEL_B, accessGroups: ['team-b'], history: [] });
    // Deferral came before any edit.
    expect(h.fake.calls.indexOf(deferred)).toBeLessThan(h.fake.calls.indexOf(answer));
  });

  it('/ask in a thread uses the parent channel’s access groups; in a DM, the user’s', async () => {
    const asked = h.fake.say(CHANNEL_A, `<@${h.fake.botUser.id}> open a thread`);
    await h.fake.until(() => h.botMessages(asked.id).find((m) => m.components.length > 0));
    const inThread = h.fake.command('ask', { question: 'Inside the thread' }, { channelId: asked.id });
    await h.fake.waitFor((c) => original(inThread)(c) && /Inside the thread \[1\]/.test(c.body.content));
    expect(h.requests.at(-1)).toMatchObject({ channelId: CHANNEL_A, accessGroups: ['team-a'] });
    const inDm = h.fake.command('ask', { question: 'In private' }, { channelId: DM_CHANNEL, userId: DM_USER.id });
    await h.fake.waitFor((c) => original(inDm)(c) && /In private \[1\]/.test(c.body.content));
    expect(h.requests.at(-1)).toMatchObject({ channelId: DM_CHANNEL, accessGroups: ['dm-group'] });
  });

  it('refuses /cairn-reindex politely and privately to a member without an admin role', async () => {
    const it = h.fake.command('cairn-reindex', {}, { channelId: CHANNEL_A, roles: [] });
    const refused = await h.fake.waitFor(callback(it));
    expect(refused.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/only Cairn admins/) } });
    expect(h.admin.reindexCalls).toEqual([]);
  });

  it('refuses /cairn-reindex <source> to a member without an admin role, and names the known sources for an unknown id', async () => {
    const refused = h.fake.command('cairn-reindex', { source: 'handbook' }, { channelId: CHANNEL_A, roles: [] });
    expect((await h.fake.waitFor(callback(refused))).body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/only Cairn admins/) } });
    const unknown = h.fake.command('cairn-reindex', { source: 'wiki' }, { channelId: CHANNEL_A, roles: [ADMIN_ROLE] });
    await h.fake.until(() => edits(unknown).some((t) => t === 'There is no source "wiki". Known sources: docs, handbook. Name one of them, or run /cairn-reindex alone to sync them all.'));
    expect(h.admin.reindexCalls).toEqual([]);
  });

  it('re-indexes for an admin with progress, tells a second admin one is running, then reports done', async () => {
    const first = h.fake.command('cairn-reindex', { source: 'handbook' }, { channelId: CHANNEL_A, roles: [ADMIN_ROLE] });
    expect((await h.fake.waitFor(callback(first))).body.type).toBe(5);
    await h.fake.until(() => edits(first).some((t) => /Re-indexing `handbook`…[\s\S]*scanned 3 files/.test(t)));

    const second = h.fake.command('cairn-reindex', {}, { channelId: CHANNEL_B, roles: [ADMIN_ROLE] });
    await h.fake.until(() => edits(second).some((t) => /already running/.test(t)));
    expect(h.admin.reindexCalls).toEqual(['handbook']);

    h.admin.finishReindex();
    const done = await h.fake.waitFor(followUp(first));
    expect(done.body.content).toBe('✅ Re-index done: indexed 3 documents (10 chunks)');
    expect(edits(first).at(-1)).toMatch(/^✅ Re-indexed `handbook`: indexed 3 documents[\s\S]*embedded 10 chunks/);
  });

  it('reports the end of a re-index in the channel once the interaction can no longer be answered', async () => {
    const it = h.fake.command('cairn-reindex', {}, { channelId: CHANNEL_B, roles: [ADMIN_ROLE] });
    await h.fake.until(() => edits(it).some((t) => /scanned 3 files/.test(t)));
    h.fake.failNext(original(it)); // the 15-minute interaction token has expired
    h.admin.finishReindex();
    await h.botSays(CHANNEL_B, /^✅ Re-index done: indexed 3 documents/);
  });

  it('/cairn-sources and /cairn-status answer privately in Discord Markdown', async () => {
    const sources = h.fake.command('cairn-sources', {}, { channelId: CHANNEL_A });
    expect((await h.fake.waitFor(callback(sources))).body).toEqual({ type: 5, data: { flags: 64 } });
    await h.fake.until(() => edits(sources).some((t) => /^\*\*1 documents indexed\*\*\n• Deploy guide — `docs\/deploy\.md`/.test(t)));
    // Only what the channel may cite is listed.
    expect(h.admin.sourcesAsked).toEqual([['team-a']]);
    const status = h.fake.command('cairn-status', {}, { channelId: CHANNEL_A });
    await h.fake.until(() => edits(status).some((t) => /\*\*Index:\*\* 3 documents, 10 chunks/.test(t)));
  });

  it('/cairn-gaps is refused to a member without an admin role, and shows an admin the channel’s topics privately', async () => {
    const refused = h.fake.command('cairn-gaps', {}, { channelId: CHANNEL_A, roles: [] });
    expect((await h.fake.waitFor(callback(refused))).body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/only Cairn admins can see coverage gaps/) } });
    expect(h.admin.gapsAsked).toEqual([]);
    const gaps = h.fake.command('cairn-gaps', {}, { channelId: CHANNEL_A, roles: [ADMIN_ROLE] });
    expect((await h.fake.waitFor(callback(gaps))).body).toEqual({ type: 5, data: { flags: 64 } });
    await h.fake.until(() => edits(gaps).some((t) => t.includes('1. **Rotate the VPN token** (2 questions)') && t.includes('closest docs: VPN guide')));
    // Other people's questions, only as far as this channel may read: the channel's groups, not the admin's.
    expect(h.admin.gapsAsked).toEqual([['team-a']]);
  });

  it('turns a failing command into a short apology, never silence or a stack', async () => {
    h.admin.report = async () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/cairn/index.db');
    };
    const it = h.fake.command('cairn-status', {}, { channelId: CHANNEL_A });
    await h.fake.until(() => edits(it).some((t) => /^Sorry — something went wrong/.test(t)));
    await settle(50);
    expect(edits(it).join('\n')).not.toMatch(/SQLITE|\/var\/lib/);
    expect(edits(it).at(-1)).toMatch(/^Sorry — something went wrong on my side\. Please try again\. \(ref [0-9a-f]{8}\)$/);
  });
});
