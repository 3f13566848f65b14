import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLeases, RedisLeases, type Leases } from '../../src/shared-state/lease.js';
import { connectRedis, redisReady } from '../../src/shared-state/redis.js';
import { errorRecorder, eventually, isolatedRedis, ownRedis, REDIS_URL, silent, skipWithout } from './helpers.js';

type Factory = () => Promise<{ leases: Leases; cleanup: () => Promise<void> }>;

/** The behaviour every Leases must have. */
function runLeasesContract(name: string, make: Factory, skip = false): void {
  describe.skipIf(skip)(`Leases contract: ${name}`, () => {
    let made: Awaited<ReturnType<Factory>> | undefined;
    afterEach(async () => {
      await made?.cleanup();
      made = undefined;
    });

    it('gives a lease to one holder at a time, and again once released', async () => {
      const l = (made = await make()).leases;
      const first = await l.acquire('reindex');
      expect(first).not.toBeNull();
      expect(await l.acquire('reindex')).toBeNull();
      expect(await l.acquire('sync')).not.toBeNull();
      await first!.release();
      await first!.release();
      expect(await l.acquire('reindex')).not.toBeNull();
    });

    it('gives one of many concurrent acquirers the lease', async () => {
      const l = (made = await make()).leases;
      const got = await Promise.all(Array.from({ length: 10 }, () => l.acquire('reindex')));
      expect(got.filter((x) => x !== null)).toHaveLength(1);
    });
  });
}

runLeasesContract('in-process', async () => ({ leases: new MemoryLeases(), cleanup: async () => undefined }));

runLeasesContract(
  `Redis at REDIS_URL${skipWithout('REDIS_URL', REDIS_URL)}`,
  async () => {
    const { redis, cleanup } = await isolatedRedis();
    const errors = errorRecorder();
    return {
      leases: new RedisLeases(redis, errors.sink),
      // Every call must have reached Redis: a silent fallback to memory would pass the contract too.
      cleanup: async () => {
        await cleanup();
        expect(errors.errors).toEqual([]);
      },
    };
  },
  !REDIS_URL,
);

describe.skipIf(!REDIS_URL)(`RedisLeases across replicas${skipWithout('REDIS_URL', REDIS_URL)}`, () => {
  it('is renewed while its holder lives, and expires when the holder dies', async () => {
    const { redis, cleanup } = await isolatedRedis();
    const holderConnection = redis.duplicate();
    await redisReady(holderConnection);
    try {
      const holder = new RedisLeases(holderConnection, () => undefined, { ttlMs: 300 });
      const other = new RedisLeases(redis, () => undefined, { ttlMs: 300 });
      expect(await holder.acquire('reindex')).not.toBeNull();
      // Three TTLs later the renewed lease is still held.
      await new Promise((r) => setTimeout(r, 900));
      expect(await other.acquire('reindex')).toBeNull();
      // The holder "dies": its connection goes, renewals stop, and the lease frees itself.
      holderConnection.disconnect();
      await eventually(async () => (await other.acquire('reindex')) !== null, 3000);
    } finally {
      holderConnection.disconnect();
      await cleanup();
    }
  });
});

describe('RedisLeases when Redis is down (a redis-server of its own)', () => {
  it('falls back to a gate in this process and reports; with localFallback: false it rejects instead', async () => {
    const server = await ownRedis();
    const redis = connectRedis(server.url, silent);
    const errors = errorRecorder();
    const l = new RedisLeases(redis, errors.sink);
    try {
      await eventually(async () => redis.status === 'ready');
      await server.stop();
      const lease = await l.acquire('reindex');
      expect(lease).not.toBeNull();
      expect(await l.acquire('reindex')).toBeNull();
      await lease!.release();
      expect(errors.stores).toContain('lease');
      // A gateway shard must never be held twice: no lease in this process for it.
      await expect(l.acquire('discord:shard:0', { localFallback: false })).rejects.toThrow();
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });
});

describe.skipIf(!REDIS_URL)(`RedisLeases for holders that must never run twice${skipWithout('REDIS_URL', REDIS_URL)}`, () => {
  it('tells the holder when a renewal finds the lease taken by someone else, once, and stops renewing it', async () => {
    const { redis, cleanup } = await isolatedRedis();
    try {
      const leases = new RedisLeases(redis, () => undefined, { ttlMs: 30_000 });
      let lost = 0;
      const lease = await leases.acquire('discord:shard:0', { ttlMs: 300, onLost: () => void (lost += 1) });
      expect(lease).not.toBeNull();
      await new Promise((r) => setTimeout(r, 400));
      expect(lost).toBe(0);
      // Its key expired while it was cut off, and another replica took it.
      await redis.set('lease:discord:shard:0', 'someone-else');
      await eventually(async () => lost === 1, 2000);
      await new Promise((r) => setTimeout(r, 400));
      expect(lost).toBe(1);
      // Releasing a lost lease leaves the new holder's key alone.
      await lease!.release();
      expect(await redis.get('lease:discord:shard:0')).toBe('someone-else');
    } finally {
      await cleanup();
    }
  });
});
