import { afterEach, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/shared-state/redis.js';
import { MemoryThreadRegistry, RedisThreadRegistry, type ThreadRegistry } from '../../src/shared-state/threads.js';
import { errorRecorder, eventually, isolatedRedis, ownRedis, REDIS_URL, silent, skipWithout } from './helpers.js';

type Factory = (ttlMs: number) => Promise<{ threads: ThreadRegistry; cleanup: () => Promise<void> }>;

/** The behaviour every ThreadRegistry must have. */
function runThreadsContract(name: string, make: Factory, skip = false): void {
  describe.skipIf(skip)(`ThreadRegistry contract: ${name}`, () => {
    let made: Awaited<ReturnType<Factory>> | undefined;
    afterEach(async () => {
      await made?.cleanup();
      made = undefined;
    });

    it('knows the threads it was told about, and only those', async () => {
      const t = (made = await make(60_000)).threads;
      await t.remember('slack:C1:1.1');
      expect([await t.has('slack:C1:1.1'), await t.has('slack:C2:1.1'), await t.has('slack:C1:1.2')]).toEqual([true, false, false]);
    });

    it('forgets a thread after its time to live', async () => {
      const t = (made = await make(80)).threads;
      await t.remember('slack:C1:1.1');
      await new Promise((r) => setTimeout(r, 200));
      expect(await t.has('slack:C1:1.1')).toBe(false);
    });
  });
}

runThreadsContract('in-process', async (ttlMs) => ({ threads: new MemoryThreadRegistry({ ttlMs }), cleanup: async () => undefined }));

runThreadsContract(
  `Redis at REDIS_URL${skipWithout('REDIS_URL', REDIS_URL)}`,
  async (ttlMs) => {
    const { redis, cleanup } = await isolatedRedis();
    const errors = errorRecorder();
    return {
      threads: new RedisThreadRegistry(redis, errors.sink, { ttlMs }),
      // Every call must have reached Redis: a silent fallback to memory would pass the contract too.
      cleanup: async () => {
        await cleanup();
        expect(errors.errors).toEqual([]);
      },
    };
  },
  !REDIS_URL,
);

describe.skipIf(!REDIS_URL)(`RedisThreadRegistry across replicas${skipWithout('REDIS_URL', REDIS_URL)}`, () => {
  it('a thread one replica answered in is known to another', async () => {
    const { redis, cleanup } = await isolatedRedis();
    try {
      await new RedisThreadRegistry(redis, () => undefined).remember('slack:C1:1.1');
      expect(await new RedisThreadRegistry(redis, () => undefined).has('slack:C1:1.1')).toBe(true);
    } finally {
      await cleanup();
    }
  });
});

describe('RedisThreadRegistry when Redis goes away (a redis-server of its own)', () => {
  it('answers from this replica\'s memory and reports', async () => {
    const server = await ownRedis();
    const redis = connectRedis(server.url, silent);
    const errors = errorRecorder();
    const t = new RedisThreadRegistry(redis, errors.sink);
    try {
      await eventually(async () => redis.status === 'ready');
      await t.remember('slack:C1:1.1');
      await server.stop();
      await t.remember('slack:C1:2.2');
      expect([await t.has('slack:C1:1.1'), await t.has('slack:C1:2.2'), await t.has('slack:C1:3.3')]).toEqual([true, true, false]);
      expect(errors.stores).toContain('threads');
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });
});
