import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisDedupe } from '../../../src/shared-state/dedupe.js';
import { RedisLeases } from '../../../src/shared-state/lease.js';
import { RedisThreadRegistry } from '../../../src/shared-state/threads.js';
import { connectRedis, redisReady } from '../../../src/shared-state/redis.js';
import type { FakeDiscord } from '../../fakes/discord-server.js';
import { errorRecorder, eventually, isolatedRedis, ownRedis, REDIS_URL, silent, skipWithout } from '../../shared-state/helpers.js';
import { CHANNEL_A, startFakeDiscord, startHarness, type Harness } from './harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fakeDiscord(opts: { recommendedShards?: number } = {}): Promise<FakeDiscord> {
  const fake = await startFakeDiscord(opts);
  cleanups.push(() => fake.close());
  return fake;
}

async function harness(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const h = await startHarness(...args);
  cleanups.push(() => h.close());
  return h;
}

/** Mentions the bot in a channel; resolves with the thread the answer went to once it is final. */
async function mentionAnswered(fake: FakeDiscord, question: string, timeoutMs = 5000): Promise<string> {
  const asked = fake.say(CHANNEL_A, `<@${fake.botUser.id}> ${question}`);
  await fake.until(() => fake.messagesIn(asked.id).find((m) => m.author.id === fake.botUser.id && /You asked/.test(m.content)), timeoutMs);
  return asked.id;
}

/** The /cairn-status a replica shows, as Discord would display it. */
async function statusOf(h: Harness): Promise<string> {
  const { token } = h.fake.command('cairn-status', {}, { channelId: CHANNEL_A });
  const edit = await h.fake.waitFor((c) => c.method === 'PATCH' && c.path.includes(`/${token}/messages/@original`));
  return String(edit.body.content);
}

describe('Discord gateway shards in one process (no REDIS_URL)', () => {
  it('connects every shard of DISCORD_SHARD_COUNT, one connection each, and /cairn-status names them', async () => {
    const fake = await fakeDiscord();
    const h = await harness({ fake, config: { shardCount: 2 }, options: { shardClaimIntervalMs: 100 } });
    await fake.until(() => fake.connectedShards().length === 2 && fake.connectedShards());
    expect(fake.connectedShards()).toEqual([0, 1]);
    expect(fake.identifies.map((i) => i.shardCount)).toEqual([2, 2]);
    expect(await statusOf(h)).toMatch(/\*\*Discord gateway:\*\* this replica holds shards 0 \(since \d\d:\d\d:\d\d UTC\), 1 \(since \d\d:\d\d:\d\d UTC\) of 2/);
    await mentionAnswered(fake, 'still answering on the right shard?');
  });

  it('DISCORD_SHARD_COUNT=auto uses the shard count GET /gateway/bot recommends', async () => {
    const fake = await fakeDiscord({ recommendedShards: 3 });
    await harness({ fake, config: { shardCount: 'auto' }, options: { shardClaimIntervalMs: 100 } });
    await fake.until(() => fake.connectedShards().length === 3);
    expect(fake.identifies.map((i) => i.shardCount)).toEqual([3, 3, 3]);
    expect(fake.calls.filter((c) => c.path === '/gateway/bot')[0]).toMatchObject({ method: 'GET', authorization: 'Bot test-token' });
  });
});

/** One replica's view of the shared Redis: its own connection, as each `cairn start` process has. */
async function replicaState(base: Redis): Promise<{ redis: Redis; deps: NonNullable<Parameters<typeof startHarness>[0]>['deps'] }> {
  const redis = base.duplicate();
  // As connectRedis does: failures are reported where commands fail, not as 'error' events.
  redis.on('error', () => undefined);
  await redisReady(redis, 5000);
  const sink = errorRecorder().sink;
  cleanups.push(async () => void redis.disconnect());
  return { redis, deps: { leases: new RedisLeases(redis, sink), delivery: { dedupe: new RedisDedupe(redis, sink), threads: new RedisThreadRegistry(redis, sink) } } };
}

describe.skipIf(!REDIS_URL)(`Discord gateway shards across replicas sharing Redis${skipWithout('REDIS_URL', REDIS_URL)}`, () => {
  it('only one replica opens the gateway; when it dies the other connects within 15 s and answers the next mention', async () => {
    const { redis, cleanup } = await isolatedRedis();
    cleanups.push(cleanup);
    const fake = await fakeDiscord();
    const a = await replicaState(redis);
    const b = await replicaState(redis);
    // The default lease timing: this is the failover an operator gets.
    const holder = await startHarness({ fake, deps: a.deps });
    cleanups.push(() => holder.close());
    const other = await harness({ fake, deps: b.deps });
    // Several of the other replica's claim rounds pass: it must not connect a second time.
    await new Promise((r) => setTimeout(r, 2500));
    expect(fake.connectedShards()).toEqual([0]);
    expect(fake.identifies).toHaveLength(1);
    await mentionAnswered(fake, 'who answers?');
    expect(holder.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(0);

    // Killed: renewals stop and nothing releases the lease (its Redis connection is gone before the
    // gateway closes), so only the lease's expiry frees the shard.
    const killedAt = Date.now();
    a.redis.disconnect();
    await holder.close();
    expect(fake.connectedShards()).toEqual([]);
    await fake.until(() => fake.identifies.length === 2 && fake.connectedShards().length === 1, 15_000);
    const failoverMs = fake.identifies[1]!.at - killedAt;
    expect(failoverMs).toBeLessThan(15_000);
    await mentionAnswered(fake, 'and now?');
    expect(other.requests.map((r) => r.question)).toEqual(['and now?']);
    expect(await statusOf(other)).toMatch(/this replica holds shard 0 \(since \d\d:\d\d:\d\d UTC, taken over\) of 1/);
    console.info(`discord gateway failover: ${failoverMs} ms from the kill to the new holder's IDENTIFY`);
  }, 30_000);

  it('a holder whose lease was taken while it was cut off disconnects, and claims the shard again once it is free', async () => {
    const { redis, cleanup } = await isolatedRedis();
    cleanups.push(cleanup);
    const fake = await fakeDiscord();
    const a = await replicaState(redis);
    await harness({ fake, deps: a.deps, options: { shardLeaseTtlMs: 600, shardClaimIntervalMs: 100 } });
    expect(fake.connectedShards()).toEqual([0]);
    // As if its lease had expired and another replica had taken it for 1.5 s.
    await redis.set('lease:discord:shard:0', 'another-replica', 'PX', 1500);
    await fake.until(() => fake.connectedShards().length === 0, 3000);
    await fake.until(() => fake.identifies.length === 2 && fake.connectedShards().length === 1, 5000);
    await mentionAnswered(fake, 'back?');
  }, 15_000);
});

describe('Discord gateway shards while Redis is down (a redis-server of its own)', () => {
  it('the holder keeps its shard and answers, nobody opens a second connection, and one holder remains once Redis is back', async () => {
    const server = await ownRedis();
    cleanups.push(() => server.stop());
    const base = connectRedis(server.url, silent);
    cleanups.push(async () => void base.disconnect());
    await eventually(async () => base.status === 'ready');
    const fake = await fakeDiscord();
    const timing = { shardLeaseTtlMs: 600, shardClaimIntervalMs: 100 };
    const a = await replicaState(base);
    const b = await replicaState(base);
    const holder = await harness({ fake, deps: a.deps, options: timing });
    const other = await harness({ fake, deps: b.deps, options: timing });
    expect(fake.connectedShards()).toEqual([0]);

    await server.stop();
    // Well past the lease TTL: the holder cannot renew, the other cannot claim.
    await new Promise((r) => setTimeout(r, 2000));
    expect(fake.connectedShards()).toEqual([0]);
    expect(fake.identifies).toHaveLength(1);
    await mentionAnswered(fake, 'still there without Redis?');
    expect(holder.requests.map((r) => r.question)).toEqual(['still there without Redis?']);

    // Back empty (no persistence): the holder's renewal finds its key gone and lets go; one replica claims it again.
    await server.start();
    await fake.until(() => fake.identifies.length >= 2 && fake.connectedShards().length === 1, 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(fake.connectedShards()).toEqual([0]);
    await mentionAnswered(fake, 'and with Redis back?');
    expect([...holder.requests, ...other.requests].filter((r) => r.question === 'and with Redis back?')).toHaveLength(1);
  }, 30_000);
});
