import { Redis } from 'ioredis';
import { CairnError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/**
 * One Redis connection per process, shared by every store. A command fails at once while Redis is
 * down (no offline queue, one attempt) so a replica falls back to its own memory instead of holding
 * an answer; the client reconnects in the background, so the stores recover by themselves.
 */
export function connectRedis(url: string, logger: Logger, opts: { keyPrefix?: string } = {}): Redis {
  let redis: Redis;
  try {
    redis = new Redis(url, {
      keyPrefix: opts.keyPrefix ?? 'cairn:',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
      // Keep trying for ever, at most every 2 s: a replica must come back when Redis does.
      retryStrategy: (times) => Math.min(100 * times, 2000),
    });
  } catch (err) {
    throw new CairnError('CONFIG', `REDIS_URL could not be used (${err instanceof Error ? err.message : String(err)}); expected e.g. redis://127.0.0.1:6379`, { cause: err });
  }
  let up = false;
  // ioredis emits 'error' on every failed reconnect; the stores report failures where they happen.
  redis.on('error', () => undefined);
  redis.on('ready', () => {
    if (!up) logger.info('connected to Redis');
    up = true;
  });
  redis.on('end', () => (up = false));
  redis.on('close', () => {
    if (up) logger.warn('lost the connection to Redis; reconnecting');
    up = false;
  });
  return redis;
}

/**
 * Resolves once the connection is ready, or after `ms` whatever its state: commands sent before
 * then would fail at once (no offline queue) and be decided in process, so start-up waits a little.
 */
export async function redisReady(redis: Redis, ms = 2000): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    redis.once('ready', onReady);
  });
}
