/**
 * Discord gateway failover across two replicas sharing Redis, with the real discord.js clients against
 * the local fake Discord and the default shard lease timing (src/chat/discord/shards.ts).
 *   REDIS_URL=redis://127.0.0.1:6379 node --import tsx bench/discord-failover.ts [--kills 5]
 * Each run: replica A holds shard 0, replica B waits; A is killed (its Redis connection dropped first,
 * so the lease is never released, then its gateway closed). Measures the time from the kill to B's
 * IDENTIFY and to B's answer to a mention sent the moment B is connected. Prints a table and one JSON line.
 */
import { parseArgs } from 'node:util';
import { RedisDedupe } from '../src/shared-state/dedupe.js';
import { RedisLeases } from '../src/shared-state/lease.js';
import { redisReady } from '../src/shared-state/redis.js';
import { RedisThreadRegistry } from '../src/shared-state/threads.js';
import { CHANNEL_A, startFakeDiscord, startHarness } from '../test/chat/discord/harness.js';
import { isolatedRedis } from '../test/shared-state/helpers.js';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '5' } } });
const KILLS = Number(values.kills);
if (!process.env.REDIS_URL) {
  console.error('Set REDIS_URL (e.g. redis://127.0.0.1:6379): the failover runs through Redis leases.');
  process.exit(2);
}

async function replica(base: Awaited<ReturnType<typeof isolatedRedis>>['redis']) {
  const redis = base.duplicate();
  redis.on('error', () => undefined);
  await redisReady(redis, 5000);
  const sink = () => undefined;
  return { redis, deps: { leases: new RedisLeases(redis, sink), delivery: { dedupe: new RedisDedupe(redis, sink), threads: new RedisThreadRegistry(redis, sink) } } };
}

async function once(run: number): Promise<{ identifyMs: number; answerMs: number }> {
  const { redis, cleanup } = await isolatedRedis();
  const fake = await startFakeDiscord();
  const a = await replica(redis);
  const b = await replica(redis);
  const holder = await startHarness({ fake, deps: a.deps });
  const other = await startHarness({ fake, deps: b.deps });
  try {
    // Vary where in the renewal period the kill falls.
    await new Promise((r) => setTimeout(r, 1500 + run * 600));
    if (fake.identifies.length !== 1) throw new Error(`expected one gateway connection, saw ${fake.identifies.length}`);
    const killedAt = Date.now();
    a.redis.disconnect();
    await holder.close();
    await fake.until(() => fake.identifies.length === 2 && fake.connectedShards().length === 1, 20_000);
    const identifyMs = fake.identifies[1]!.at - killedAt;
    const asked = fake.say(CHANNEL_A, `<@${fake.botUser.id}> after the failover`);
    await fake.until(() => fake.messagesIn(asked.id).find((m) => m.author.id === fake.botUser.id && /You asked/.test(m.content)), 10_000);
    return { identifyMs, answerMs: Date.now() - killedAt };
  } finally {
    await other.close();
    b.redis.disconnect();
    await fake.close();
    await cleanup();
  }
}

const runs: { identifyMs: number; answerMs: number }[] = [];
for (let i = 0; i < KILLS; i++) {
  const r = await once(i);
  runs.push(r);
  console.log(`kill ${i + 1}: new holder identified after ${r.identifyMs} ms, answered a mention ${r.answerMs} ms after the kill`);
}
const ids = runs.map((r) => r.identifyMs).sort((x, y) => x - y);
const answers = runs.map((r) => r.answerMs).sort((x, y) => x - y);
const median = (xs: number[]) => xs[Math.floor((xs.length - 1) / 2)]!;
console.log(`\nfailover over ${KILLS} kills: identify min ${ids[0]} / median ${median(ids)} / max ${ids.at(-1)} ms; answer min ${answers[0]} / median ${median(answers)} / max ${answers.at(-1)} ms`);
console.log(JSON.stringify({ bench: 'discord-failover', kills: KILLS, identifyMs: runs.map((r) => r.identifyMs), answerMs: runs.map((r) => r.answerMs) }));
