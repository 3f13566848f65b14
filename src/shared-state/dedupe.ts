import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { SharedStateErrorSink } from './errors.js';

/** Slack retries for up to ~5 minutes and Discord may replay after a resume: remember well past that. */
export const DEDUPE_TTL_MS = 15 * 60_000;

/**
 * "Has anyone handled this delivery yet?" `claim` is true for exactly one caller per key within
 * the TTL: one answer per Slack event, per message (an app_mention and its twin message event),
 * per Discord message or interaction, whichever replica receives it.
 */
export interface DeliveryDedupe {
  claim(key: string): Promise<boolean>;
}

/** One process: an LRU with a TTL (today's behaviour). */
export class MemoryDedupe implements DeliveryDedupe {
  private readonly seen: LRUCache<string, true>;

  constructor(opts: { ttlMs?: number; maxEntries?: number } = {}) {
    this.seen = new LRUCache({ max: opts.maxEntries ?? 50_000, ttl: opts.ttlMs ?? DEDUPE_TTL_MS });
  }

  async claim(key: string): Promise<boolean> {
    return this.claimNow(key);
  }

  /** Synchronous, so the fallback in RedisDedupe decides within the same tick as its caller. */
  claimNow(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.set(key, true);
    return true;
  }
}

/**
 * Every replica: `SET key 1 NX PX ttl`, so the first replica to claim a key answers. If Redis
 * fails, the claim is decided in this process (a retry landing on another replica may then be
 * answered twice, which beats not answering) and the failure is reported.
 */
export class RedisDedupe implements DeliveryDedupe {
  private readonly local: MemoryDedupe;
  private readonly ttlMs: number;
  private readonly prefix: string;

  constructor(private readonly redis: Redis, private readonly onError: SharedStateErrorSink, opts: { ttlMs?: number; prefix?: string } = {}) {
    this.ttlMs = Math.max(opts.ttlMs ?? DEDUPE_TTL_MS, 1);
    this.local = new MemoryDedupe({ ttlMs: this.ttlMs });
    this.prefix = opts.prefix ?? 'dedupe:';
  }

  async claim(key: string): Promise<boolean> {
    try {
      const set = await this.redis.set(`${this.prefix}${key}`, '1', 'PX', this.ttlMs, 'NX');
      // Also remembered here, so a later Redis outage still knows what this replica claimed.
      this.local.claimNow(key);
      return set === 'OK';
    } catch (err) {
      this.onError('dedupe', err);
      return this.local.claimNow(key);
    }
  }
}
