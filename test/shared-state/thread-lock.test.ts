import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLeases, RedisLeases } from '../../src/shared-state/lease.js';
import { connectRedis, redisReady } from '../../src/shared-state/redis.js';
import { LeaseThreadLocks, type ThreadLocks } from '../../src/shared-state/thread-lock.js';
import { errorRecorder, eventually, isolatedRedis, ownRedis, REDIS_URL, silent, skipWithout } from './helpers.js';

type Factory = () => Promise<{ locks: ThreadLocks; cleanup: () => Promise<void> }>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The behaviour every ThreadLocks must have. */
function runThreadLocksContract(name: string, make: Factory, skip = false): void {
  describe.skipIf(skip)(`ThreadLocks contract: ${name}`, () => {
    let made: Awaited<ReturnType<Factory>> | undefined;
    const open = async () => (made = await make()).locks;
    afterEach(async () => {
      await made?.cleanup();
      made = undefined;
    });

    it('makes a second taker of a thread wait until the first releases it', async () => {
      const locks = await open();
      const first = await locks.acquire('slack:C1:1.000', 5000);
      expect(first).not.toBeNull();
      let released = 0;
      const second = locks.acquire('slack:C1:1.000', 5000).then((lease) => ({ lease, at: Date.now() }));
      await sleep(150);
      released = Date.now();
      await first!.release();
      const got = await second;
      expect(got.lease).not.toBeNull();
      expect(got.at).toBeGreaterThanOrEqual(released);
      await got.lease!.release();
    });

    it('does not hold up other threads', async () => {
      const locks = await open();
      const a = await locks.acquire('slack:C1:1.000', 5000);
      const started = Date.now();
      const b = await locks.acquire('slack:C1:2.000', 5000);
      expect(b).not.toBeNull();
      expect(Date.now() - started).toBeLessThan(1000);
      await Promise.all([a!.release(), b!.release()]);
    });

    it('gives up after the wait and says so with null', async () => {
      const locks = await open();
      const held = await locks.acquire('discord:C9:T9', 5000);
      const started = Date.now();
      expect(await locks.acquire('discord:C9:T9', 200)).toBeNull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      await held!.release();
    });

    it('lets concurrent takers of one thread in one at a time', async () => {
      const locks = await open();
      let inside = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          const lease = await locks.acquire('slack:C1:3.000', 10_000);
          expect(lease).not.toBeNull();
          inside += 1;
          most = Math.max(most, inside);
          await sleep(20);
          inside -= 1;
          await lease!.release();
        }),
      );
      expect(most).toBe(1);
    });
  });
}

runThreadLocksContract('in-process', async () => ({ locks: new LeaseThreadLocks(new MemoryLeases()), cleanup: async () => undefined }));

runThreadLocksContract(
  `Redis at REDIS_URL${skipWithout('REDIS_URL', REDIS_URL)}`,
  async () => {
    const { redis, cleanup } = await isolatedRedis();
    const errors = errorRecorder();
    return {
      locks: new LeaseThreadLocks(new RedisLeases(redis, errors.sink, { store: 'thread_lock' })),
      // Every call must have reached Redis: a silent fallback to memory would pass the contract too.
      cleanup: async () => {
        await cleanup();
        expect(errors.errors).toEqual([]);
      },
    };
  },
  !REDIS_URL,
);

describe.skipIf(!REDIS_URL)(`Thread locks across replicas${skipWithout('REDIS_URL', REDIS_URL)}`, () => {
  it('makes a follow-up on another replica wait for the answer being written', async () => {
    const { redis, cleanup } = await isolatedRedis();
    const other = redis.duplicate();
    await redisReady(other);
    try {
      const a = new LeaseThreadLocks(new RedisLeases(redis, () => undefined));
      const b = new LeaseThreadLocks(new RedisLeases(other, () => undefined));
      const held = await a.acquire('slack:C1:4.000', 5000);
      expect(await b.acquire('slack:C1:4.000', 150)).toBeNull();
      const waiting = b.acquire('slack:C1:4.000', 5000);
      await sleep(100);
      await held!.release();
      const got = await waiting;
      expect(got).not.toBeNull();
      // Now the first replica is the one that waits.
      expect(await a.acquire('slack:C1:4.000', 100)).toBeNull();
      await got!.release();
    } finally {
      other.disconnect();
      await cleanup();
    }
  });
});

describe('Thread locks when Redis goes away (a redis-server of its own)', () => {
  it('lock in this process and report, then go back to Redis by themselves', async () => {
    const server = await ownRedis();
    const redis = connectRedis(server.url, silent);
    const errors = errorRecorder();
    const locks = new LeaseThreadLocks(new RedisLeases(redis, errors.sink, { store: 'thread_lock' }));
    try {
      await eventually(async () => redis.status === 'ready');
      await server.stop();
      const held = await locks.acquire('slack:C1:5.000', 1000);
      expect(held).not.toBeNull();
      expect(await locks.acquire('slack:C1:5.000', 100)).toBeNull();
      await held!.release();
      expect(errors.stores).toContain('thread_lock');
      await server.start();
      await eventually(async () => redis.status === 'ready');
      const failures = errors.stores.length;
      const again = await locks.acquire('slack:C1:5.000', 1000);
      expect(again).not.toBeNull();
      // The lock is in Redis again: another replica waits for it.
      expect(await new LeaseThreadLocks(new RedisLeases(redis, errors.sink)).acquire('slack:C1:5.000', 100)).toBeNull();
      expect(errors.stores).toHaveLength(failures);
      await again!.release();
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });
});
