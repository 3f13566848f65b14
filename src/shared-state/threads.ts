import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { SharedStateErrorSink } from './errors.js';

/** How long a thread Cairn answered in keeps getting follow-ups without a mention. */
export const THREAD_TTL_MS = 7 * 24 * 3_600_000;

/**
 * The threads Cairn answered in, so a follow-up there needs no mention. Shared, a follow-up that
 * reaches another replica is recognised without asking the platform (Slack's
 * conversations.replies is limited to one call a minute for apps outside its Marketplace).
 */
export interface ThreadRegistry {
  remember(thread: string): Promise<void>;
  has(thread: string): Promise<boolean>;
}

/** One process (today's behaviour): lost on restart, when the platform is asked once instead. */
export class MemoryThreadRegistry implements ThreadRegistry {
  private readonly threads: LRUCache<string, true>;

  constructor(opts: { ttlMs?: number; maxEntries?: number } = {}) {
    this.threads = new LRUCache({ max: opts.maxEntries ?? 50_000, ttl: opts.ttlMs ?? THREAD_TTL_MS });
  }

  async remember(thread: string): Promise<void> {
    this.threads.set(thread, true);
  }

  async has(thread: string): Promise<boolean> {
    return this.threads.has(thread);
  }
}

/**
 * Every replica: one key per thread with the TTL. Redis failing, this replica's own memory answers
 * (a miss then costs one platform call, as after a restart) and the failure is reported.
 */
export class RedisThreadRegistry implements ThreadRegistry {
  private readonly local: MemoryThreadRegistry;
  private readonly ttlMs: number;
  private readonly prefix: string;

  constructor(private readonly redis: Redis, private readonly onError: SharedStateErrorSink, opts: { ttlMs?: number; prefix?: string } = {}) {
    this.ttlMs = Math.max(opts.ttlMs ?? THREAD_TTL_MS, 1);
    this.local = new MemoryThreadRegistry({ ttlMs: this.ttlMs });
    this.prefix = opts.prefix ?? 'thread:';
  }

  async remember(thread: string): Promise<void> {
    await this.local.remember(thread);
    try {
      await this.redis.set(`${this.prefix}${thread}`, '1', 'PX', this.ttlMs);
    } catch (err) {
      this.onError('threads', err);
    }
  }

  async has(thread: string): Promise<boolean> {
    try {
      return (await this.redis.exists(`${this.prefix}${thread}`)) === 1;
    } catch (err) {
      this.onError('threads', err);
      return this.local.has(thread);
    }
  }
}
