import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimit, RedisRateLimit, type RateLimit } from '../../src/shared-state/rate-limit.js';
import { connectRedis } from '../../src/shared-state/redis.js';
import { errorRecorder, eventually, isolatedRedis, ownRedis, REDIS_URL, silent, skipWithout } from './helpers.js';

type Factory = (points: number) => Promise<{ limit: RateLimit; cleanup: () => Promise<void> }>;

/** The behaviour every RateLimit must have. */
function runRateLimitContract(name: string, make: Factory, skip = false): void {
  describe.skipIf(skip)(`RateLimit contract: ${name}`, () => {
    let made: Awaited<ReturnType<Factory>> | undefined;
    afterEach(async () => {
      await made?.cleanup();
      made = undefined;
    });

    it('allows `points` questions per user, then refuses', async () => {
      const l = (made = await make(3)).limit;
      const got = [];
      for (let i = 0; i < 4; i++) got.push(await l.consume('slack:U1'));
      expect(got).toEqual([true, true, true, false]);
    });

    it('counts each user on their own', async () => {
      const l = (made = await make(1)).limit;
      expect([await l.consume('slack:U1'), await l.consume('slack:U2'), await l.consume('discord:U1'), await l.consume('slack:U1')]).toEqual([true, true, true, false]);
    });
  });
}

runRateLimitContract('in-process', async (points) => ({ limit: new MemoryRateLimit({ points }), cleanup: async () => undefined }));

runRateLimitContract(
  `Redis at REDIS_URL${skipWithout('REDIS_URL', REDIS_URL)}`,
  async (points) => {
    const { redis, cleanup } = await isolatedRedis();
    const errors = errorRecorder();
    return {
      limit: new RedisRateLimit(redis, errors.sink, { points }),
      // Every call must have reached Redis: a silent fallback to memory would pass the contract too.
      cleanup: async () => {
        await cleanup();
        expect(errors.errors).toEqual([]);
      },
    };
  },
  !REDIS_URL,
);

describe.skipIf(!REDIS_URL)(`RedisRateLimit across replicas${skipWithout('REDIS_URL', REDIS_URL)}`, () => {
  it('counts one user once across two replicas', async () => {
    const { redis, cleanup } = await isolatedRedis();
    const a = new RedisRateLimit(redis, () => undefined, { points: 2 });
    const b = new RedisRateLimit(redis, () => undefined, { points: 2 });
    try {
      expect([await a.consume('slack:U1'), await b.consume('slack:U1'), await a.consume('slack:U1')]).toEqual([true, true, false]);
    } finally {
      await cleanup();
    }
  });
});

describe('RedisRateLimit when Redis goes away (a redis-server of its own)', () => {
  it('counts in process and reports while Redis is down', async () => {
    const server = await ownRedis();
    const redis = connectRedis(server.url, silent);
    const errors = errorRecorder();
    const l = new RedisRateLimit(redis, errors.sink, { points: 1 });
    try {
      await eventually(async () => redis.status === 'ready');
      await server.stop();
      expect([await l.consume('slack:U1'), await l.consume('slack:U1')]).toEqual([true, false]);
      expect(errors.stores).toContain('rate_limit');
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });
});
