import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryDedupe, RedisDedupe, type DeliveryDedupe } from '../../src/shared-state/dedupe.js';
import { connectRedis, redisReady } from '../../src/shared-state/redis.js';
import { errorRecorder, eventually, isolatedRedis, ownRedis, REDIS_URL, silent, skipWithout } from './helpers.js';

type Factory = (ttlMs: number) => Promise<{ dedupe: DeliveryDedupe; cleanup: () => Promise<void> }>;

/** The behaviour every DeliveryDedupe must have. */
function runDedupeContract(name: string, make: Factory, skip = false): void {
  describe.skipIf(skip)(`DeliveryDedupe contract: ${name}`, () => {
    let made: Awaited<ReturnType<Factory>> | undefined;
    const open = async (ttlMs = 60_000) => (made = await make(ttlMs)).dedupe;
    afterEach(async () => {
      await made?.cleanup();
      made = undefined;
    });

    it('lets the first claim of a key through and refuses repeats', async () => {
      const d = await open();
      expect([await d.claim('slack:event:A:T:Ev1'), await d.claim('slack:event:A:T:Ev1'), await d.claim('slack:event:A:T:Ev2')]).toEqual([true, false, true]);
    });

    it('gives exactly one of many concurrent claims of one key', async () => {
      const d = await open();
      const results = await Promise.all(Array.from({ length: 20 }, () => d.claim('discord:message:42')));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('forgets a key after its time to live', async () => {
      const d = await open(80);
      expect(await d.claim('k')).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(await d.claim('k')).toBe(true);
    });
  });
}

runDedupeContract('in-process', async (ttlMs) => ({ dedupe: new MemoryDedupe({ ttlMs }), cleanup: async () => undefined }));

runDedupeContract(
  `Redis at REDIS_URL${skipWithout('REDIS_URL', REDIS_URL)}`,
  async (ttlMs) => {
    const { redis, cleanup } = await isolatedRedis();
    const errors = errorRecorder();
    return {
      dedupe: new RedisDedupe(redis, errors.sink, { ttlMs }),
      // Every call must have reached Redis: a silent fallback to memory would pass the contract too.
      cleanup: async () => {
        await cleanup();
        expect(errors.errors).toEqual([]);
      },
    };
  },
  !REDIS_URL,
);

describe.skipIf(!REDIS_URL)(`RedisDedupe across replicas${skipWithout('REDIS_URL', REDIS_URL)}`, () => {
  it('lets one of two replicas claim a retried event', async () => {
    const { redis, cleanup } = await isolatedRedis();
    const a = new RedisDedupe(redis, () => undefined);
    const other = redis.duplicate();
    await redisReady(other);
    const b = new RedisDedupe(other, () => undefined);
    try {
      expect(await Promise.all([a.claim('slack:event:A1:T1:Ev9'), b.claim('slack:event:A1:T1:Ev9')])).toEqual(expect.arrayContaining([true, false]));
    } finally {
      other.disconnect();
      await cleanup();
    }
  });
});

describe('RedisDedupe when Redis goes away (a redis-server of its own)', () => {
  let server: Awaited<ReturnType<typeof ownRedis>>;
  beforeEach(async () => {
    server = await ownRedis();
  });
  afterAll(async () => server?.stop());

  it('decides in process and reports, then goes back to Redis by itself', async () => {
    const redis = connectRedis(server.url, silent);
    const errors = errorRecorder();
    const d = new RedisDedupe(redis, errors.sink);
    try {
      await eventually(async () => redis.status === 'ready');
      expect(await d.claim('before')).toBe(true);
      await server.stop();
      // Never silent: claims go on, decided by this replica's memory.
      expect([await d.claim('during'), await d.claim('during'), await d.claim('before')]).toEqual([true, false, false]);
      expect(errors.stores).toContain('dedupe');
      await server.start();
      await eventually(async () => redis.status === 'ready');
      const failures = errors.stores.length;
      expect(await d.claim('after')).toBe(true);
      // The claim reached Redis: another replica is refused.
      expect(await new RedisDedupe(redis, errors.sink).claim('after')).toBe(false);
      expect(errors.stores).toHaveLength(failures);
    } finally {
      redis.disconnect();
    }
  });
});
