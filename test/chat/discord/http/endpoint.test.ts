import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERACTIONS_PATH } from '../../../../src/chat/discord/adapter.js';
import { startHttpServer } from '../../../../src/server/http-server.js';
import { MemoryChannelSettings } from '../../../../src/shared-state/channel-settings.js';
import { MemoryDedupe } from '../../../../src/shared-state/dedupe.js';
import { MemoryLeases } from '../../../../src/shared-state/lease.js';
import { MemoryThreadRegistry } from '../../../../src/shared-state/threads.js';
import type { FakeDiscord, RecordedCall } from '../../../fakes/discord-server.js';
import { ADMIN_ROLE, ALICE, CHANNEL_A, FORUM, startFakeDiscord, startHarness, type Harness } from '../harness.js';

/**
 * DISCORD_INTERACTIONS=http: Discord POSTs interactions, signed, to /discord/interactions on Cairn's
 * HTTP server. The replica under test holds no gateway shard (another replica does), as any replica
 * behind the load balancer may take the request.
 */
let fake: FakeDiscord;
let gatewayReplica: Harness;
let httpReplica: Harness;
let server: Awaited<ReturnType<typeof startHttpServer>>;
let privateKey: KeyObject;
let url: string;

beforeAll(async () => {
  const keys = generateKeyPairSync('ed25519');
  privateKey = keys.privateKey;
  // Discord shows the raw 32-byte key; SPKI DER is a 12-byte header followed by it.
  const publicKey = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  fake = await startFakeDiscord();
  const leases = new MemoryLeases();
  // One store for both, as PostgreSQL is for replicas.
  const channelSettings = new MemoryChannelSettings();
  const config = { interactions: 'http' as const, publicKey };
  gatewayReplica = await startHarness({ fake, config, deps: { leases, channelSettings } });
  httpReplica = await startHarness({ fake, config, deps: { leases, channelSettings, delivery: { dedupe: new MemoryDedupe(), threads: new MemoryThreadRegistry() } } });
  server = await startHttpServer({ host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }), ready: async () => ({ ok: true }), routes: { ...httpReplica.adapter.routes } });
  url = `http://127.0.0.1:${server.port}${INTERACTIONS_PATH}`;
  fake.deliverInteractionsTo(url, privateKey);
});
afterAll(async () => {
  await server?.close();
  await httpReplica?.close();
  await gatewayReplica?.close();
  await fake?.close();
});

const original = (it: { token: string }) => (c: RecordedCall): boolean => c.method === 'PATCH' && c.path === `/webhooks/${fake.applicationId}/${it.token}/messages/@original`;

function post(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
}

function signed(body: string, key = privateKey): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return { 'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), key).toString('hex'), 'x-signature-timestamp': timestamp };
}

/** A slash command payload as Discord posts it, for the tests that post by hand. */
function askPayload(id: string, question: string): string {
  return JSON.stringify({
    id, application_id: fake.applicationId, type: 2, token: `tok-${id}`, version: 1, channel_id: CHANNEL_A, guild_id: fake.channel(CHANNEL_A).guild_id,
    channel: fake.channel(CHANNEL_A), data: { id: '800000000000000001', name: 'ask', type: 1, options: [{ name: 'question', type: 3, value: question }] },
    member: { user: ALICE, roles: [], permissions: '0', joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
    app_permissions: '0', locale: 'en-US', entitlements: [], authorizing_integration_owners: {}, context: 0, attachment_size_limit: 8388608,
  });
}

describe('Discord HTTP interactions endpoint', () => {
  it('only the gateway replica holds the shard; the HTTP replica holds none', () => {
    expect(fake.connectedShards()).toEqual([0]);
    expect(fake.identifies).toHaveLength(1);
  });

  it('answers a signed PING with PONG', async () => {
    const body = JSON.stringify({ id: '1', application_id: fake.applicationId, type: 1, token: 't', version: 1 });
    const res = await post(body, signed(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 1 });
  });

  it('answers /ask through the interaction callback and webhooks, acknowledging the request with 202', async () => {
    const it = fake.command('ask', { question: 'Over HTTP?' }, { channelId: CHANNEL_A });
    const answer = await fake.waitFor((c) => original(it)(c) && /Over HTTP\? \[1\]/.test(c.body.content ?? ''));
    expect(answer.body.components?.length).toBeGreaterThan(0);
    expect(fake.calls.find((c) => c.path === `/interactions/${it.id}/${it.token}/callback`)?.body.type).toBe(5);
    expect(fake.endpointReplies.find((r) => r.interactionId === it.id)).toMatchObject({ status: 202, body: '' });
    expect(httpReplica.requests.at(-1)).toMatchObject({ question: 'Over HTTP?', channelId: CHANNEL_A, accessGroups: ['team-a'] });
    expect(gatewayReplica.requests.map((r) => r.question)).not.toContain('Over HTTP?');
  });

  it('in a thread, applies the parent channel’s access groups though the HTTP replica has no guild cache', async () => {
    const asked = fake.say(CHANNEL_A, `<@${fake.botUser.id}> open a thread`);
    await fake.until(() => gatewayReplica.botMessages(asked.id).find((m) => m.components.length > 0));
    const it = fake.command('ask', { question: 'Inside the thread' }, { channelId: asked.id });
    await fake.waitFor((c) => original(it)(c) && /Inside the thread \[1\]/.test(c.body.content ?? ''));
    expect(httpReplica.requests.at(-1)).toMatchObject({ question: 'Inside the thread', channelId: CHANNEL_A, accessGroups: ['team-a'] });
  });

  it('/cairn-channel in a forum post switches the forum though the HTTP replica has no guild cache; the gateway replica then answers new posts', async () => {
    const post = fake.forumPost(FORUM, 'Setup', 'How do I set up the CLI?');
    const it = fake.command('cairn-channel', { auto: 'on' }, { channelId: post.id, roles: [ADMIN_ROLE] });
    const reply = await fake.waitFor((c) => c.path === `/interactions/${it.id}/${it.token}/callback`);
    expect(reply.body.data.content).toMatch(new RegExp(`^Auto-answer is now \\*\\*on\\*\\* in <#${FORUM}>`));
    expect(fake.endpointReplies.find((r) => r.interactionId === it.id)?.status).toBe(202);
    const next = fake.forumPost(FORUM, 'Proxy', 'Does the CLI support proxies?');
    await gatewayReplica.botSays(next.id, /^You asked: Proxy/);
  });

  it('routes a 👍 click to the same vote handler', async () => {
    const asked = fake.say(CHANNEL_A, `<@${fake.botUser.id}> rate me`);
    const answer = await fake.until(() => gatewayReplica.botMessages(asked.id).find((m) => m.components.length > 0));
    const requestId = gatewayReplica.requests.at(-1)!.requestId!;
    const click = fake.click(answer, `cairn:vote:up:${requestId}`, ALICE.id);
    await fake.waitFor((c) => original(click)(c) && /glad it helped/.test(c.body.content ?? ''));
    expect(httpReplica.votes.at(-1)).toMatchObject({ requestId, vote: 'up', userId: ALICE.id, channelId: CHANNEL_A });
  });

  it('answers one interaction once, however often it is delivered (dedupe by interaction id)', async () => {
    const it = fake.command('ask', { question: 'Delivered three times' }, { channelId: CHANNEL_A });
    await fake.waitFor((c) => original(it)(c) && /Delivered three times \[1\]/.test(c.body.content ?? ''));
    const body = fake.endpointReplies.find((r) => r.interactionId === it.id)!.payload;
    const again = await Promise.all([post(body, signed(body)), post(body, signed(body))]);
    expect(again.map((r) => r.status)).toEqual([202, 202]);
    await new Promise((r) => setTimeout(r, 300));
    expect(httpReplica.requests.filter((r) => r.question === 'Delivered three times')).toHaveLength(1);
    expect(fake.calls.filter((c) => c.path === `/interactions/${it.id}/${it.token}/callback`)).toHaveLength(1);
  });

  it('refuses with 401 a tampered body, a missing signature, or a signature by another key, and handles none of them', async () => {
    const body = askPayload('700000000000000002', 'Forged');
    const tampered = await post(body.replace('Forged', 'Tampered'), signed(body));
    const missing = await post(body, {});
    const noTimestamp = await post(body, { 'x-signature-ed25519': signed(body)['x-signature-ed25519']! });
    const otherKey = await post(body, signed(body, generateKeyPairSync('ed25519').privateKey));
    expect([tampered.status, missing.status, noTimestamp.status, otherKey.status]).toEqual([401, 401, 401, 401]);
    await new Promise((r) => setTimeout(r, 300));
    expect(httpReplica.requests.filter((r) => /Forged|Tampered/.test(r.question))).toEqual([]);
    expect(fake.calls.filter((c) => c.path.includes('700000000000000002'))).toEqual([]);
  });
});
