import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedStateErrorSink } from './errors.js';

/** Questions per user per window. `consume` is false once the user is over the limit. */
export interface RateLimit {
  consume(key: string): Promise<boolean>;
}

export interface RateLimitOptions {
  points: number;
  durationSeconds?: number;
}

/** A user over the limit is a RateLimiterRes rejection; anything else is the store failing. */
async function consumed(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (err) {
    if (err instanceof RateLimiterRes) return false;
    throw err;
  }
}

/** One process (today's behaviour): each replica would count a user on its own. */
export class MemoryRateLimit implements RateLimit {
  private readonly limiter: RateLimiterMemory;

  constructor(opts: RateLimitOptions) {
    this.limiter = new RateLimiterMemory({ points: opts.points, duration: opts.durationSeconds ?? 60 });
  }

  consume(key: string): Promise<boolean> {
    return consumed(this.limiter, key);
  }
}

/**
 * Every replica counts one user together (rate-limiter-flexible's Redis limiter). Redis failing,
 * this replica counts on its own until it is back, and the failure is reported.
 */
export class RedisRateLimit implements RateLimit {
  private readonly limiter: RateLimiterRedis;
  private readonly local: MemoryRateLimit;

  constructor(redis: Redis, private readonly onError: SharedStateErrorSink, opts: RateLimitOptions & { prefix?: string }) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: opts.prefix ?? 'rate',
      points: opts.points,
      duration: opts.durationSeconds ?? 60,
      // Fail at once while Redis is down rather than wait for a reconnect with a user waiting.
      rejectIfRedisNotReady: true,
    });
    this.local = new MemoryRateLimit(opts);
  }

  async consume(key: string): Promise<boolean> {
    try {
      return await consumed(this.limiter, key);
    } catch (err) {
      this.onError('rate_limit', err);
      return this.local.consume(key);
    }
  }
}
