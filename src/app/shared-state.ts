import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { FeedbackStore } from '../feedback/feedback-store.js';
import { PgFeedbackStore } from '../feedback/pg-feedback-store.js';
import type { FeedbackRepository } from '../feedback/types.js';
import type { Metrics } from '../observability/metrics.js';
import { SqliteChannelSettings, type ChannelSettings } from '../shared-state/channel-settings.js';
import { RedisClaims, SqliteClaims, type Claims } from '../shared-state/claims.js';
import { PgClaims } from '../shared-state/pg-claims.js';
import { PgChannelSettings } from '../shared-state/pg-channel-settings.js';
import { MemoryDedupe, RedisDedupe, type DeliveryDedupe } from '../shared-state/dedupe.js';
import { sharedStateErrorSink, type SharedStateErrorSink, type SharedStore } from '../shared-state/errors.js';
import { postgresHealth, redisHealth, type EngineHealth } from '../shared-state/health.js';
import { MemoryLeases, RedisLeases, type Leases } from '../shared-state/lease.js';
import { MemoryRateLimit, RedisRateLimit, type RateLimit } from '../shared-state/rate-limit.js';
import { createPgPool } from '../shared-state/postgres.js';
import { connectRedis, redisReady } from '../shared-state/redis.js';
import { LeaseThreadLocks, type ThreadLocks } from '../shared-state/thread-lock.js';
import { MemoryThreadRegistry, RedisThreadRegistry, type ThreadRegistry } from '../shared-state/threads.js';
import { RECORDER_BUSY_TIMEOUT_MS } from './feedback-recording.js';

const THREAD_LOCK_TTL_MS = 15_000;

/** Every piece of state replicas must agree on, in process or shared. */
export interface SharedState {
  /** Which engines back it, for logs and /cairn-status. */
  kind: { coordination: 'process' | 'redis'; durable: 'local' | 'postgres' };
  dedupe: DeliveryDedupe;
  threads: ThreadRegistry;
  threadLocks: ThreadLocks;
  rateLimit: RateLimit;
  leases: Leases;
  feedback: FeedbackRepository;
  /** Admins' `/cairn-channel` switches: channels.sqlite under dataDir, or PostgreSQL for every replica. */
  channelSettings: ChannelSettings;
  /**
   * Work done once across replicas and restarts (the weekly gaps summary): PostgreSQL when set, else
   * Redis, else claims.sqlite under dataDir.
   */
  claims: Claims;
  onError: SharedStateErrorSink;
  /** Redis and PostgreSQL as they answer now (none when everything is in process). */
  health(): Promise<EngineHealth[]>;
  /** Failed calls per store since start (cairn_shared_state_errors_total, for /cairn-status). */
  errorCounts(): Partial<Record<SharedStore, number>>;
  close(): Promise<void>;
}

/**
 * REDIS_URL is what makes a process one replica of several (no replica can count the others), and
 * replicas cannot share the embedded store: each would index and answer from its own copy under its
 * own data directory, and a re-index on one would never reach the rest. DATABASE_URL alone is a
 * single process keeping its votes in PostgreSQL, which the embedded store serves well.
 */
export function refuseEmbeddedStoreAcrossReplicas(config: Pick<Config, 'shared' | 'store'>): void {
  if (!config.shared.redisUrl || config.store.kind === 'qdrant') return;
  throw new ConfigError(
    'REDIS_URL is set, so this process runs as one of several replicas, but the index is the embedded store, which lives in this process only. Set QDRANT_URL to a Qdrant server every replica shares (see docs/operations.md), or unset REDIS_URL to run a single process.',
  );
}

/**
 * The one place that picks the implementations: REDIS_URL set → Redis for coordination,
 * DATABASE_URL set → PostgreSQL for feedback and channel settings (thread memory follows config.agent.checkpointer).
 * Neither set: everything in this process and under dataDir, exactly as a single process needs.
 */
export async function createSharedState(config: Config, logger: Logger, metrics: Metrics): Promise<SharedState> {
  const counts: Partial<Record<SharedStore, number>> = {};
  const onError = sharedStateErrorSink(logger, (store) => {
    counts[store] = (counts[store] ?? 0) + 1;
    metrics.sharedStateErrors.inc({ store });
  });
  const { redisUrl, databaseUrl } = config.shared;
  const points = config.limits.ratePerMinute;
  let redis: Redis | undefined;
  const coordination = redisUrl
    ? (() => {
        redis = connectRedis(redisUrl, logger);
        return {
          dedupe: new RedisDedupe(redis, onError),
          threads: new RedisThreadRegistry(redis, onError),
          rateLimit: new RedisRateLimit(redis, onError, { points }),
          leases: new RedisLeases(redis, onError),
          // A replica killed mid-answer holds its thread for at most the TTL.
          threadLocks: new LeaseThreadLocks(new RedisLeases(redis, onError, { prefix: 'thread-lock:', ttlMs: THREAD_LOCK_TTL_MS, store: 'thread_lock' })),
        };
      })()
    : {
        dedupe: new MemoryDedupe(),
        threads: new MemoryThreadRegistry(),
        rateLimit: new MemoryRateLimit({ points }),
        leases: new MemoryLeases(),
        threadLocks: new LeaseThreadLocks(new MemoryLeases()),
      };
  const feedback: FeedbackRepository = databaseUrl
    ? new PgFeedbackStore(databaseUrl)
    : new FeedbackStore(config.dataDir, { busyTimeoutMs: RECORDER_BUSY_TIMEOUT_MS });
  const channelSettings: ChannelSettings = databaseUrl ? new PgChannelSettings(databaseUrl) : new SqliteChannelSettings(config.dataDir);
  const claims: Claims = databaseUrl ? new PgClaims(databaseUrl) : redis ? new RedisClaims(redis) : new SqliteClaims(config.dataDir);
  // Commands fail at once until connected (no offline queue): give the first connection a moment.
  if (redis && !(await redisReady(redis))) logger.warn('Redis is not reachable yet; deduping and limiting in this process until it is');
  // A pool of its own, so a probe never waits behind answers for a connection.
  const probe = databaseUrl ? createPgPool(databaseUrl, { max: 1 }) : undefined;
  logger.info({ coordination: redisUrl ? 'redis' : 'process', durable: databaseUrl ? 'postgres' : 'local' }, 'shared state');
  return {
    kind: { coordination: redisUrl ? 'redis' : 'process', durable: databaseUrl ? 'postgres' : 'local' },
    ...coordination,
    feedback,
    channelSettings,
    claims,
    onError,
    health: async () => Promise.all([...(redis ? [redisHealth(redis)] : []), ...(probe ? [postgresHealth(probe)] : [])]),
    errorCounts: () => ({ ...counts }),
    async close() {
      await feedback.close();
      await channelSettings.close();
      await claims.close();
      await probe?.end();
      redis?.disconnect();
    },
  };
}
