import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedStateErrorSink, SharedStore } from './errors.js';

/** A held lease; `release` is idempotent. */
export interface Lease {
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** How long this lease outlives its last renewal; the store's TTL when absent. */
  ttlMs?: number;
  /**
   * Called once if the lease turns out to be someone else's at a renewal (it expired while this
   * holder was paused or cut off, and another took it). The holder must stop what the lease guards.
   */
  onLost?: () => void;
  /**
   * Redis failing at acquire: false rejects with the error (already reported) instead of falling back
   * to a gate in this process, for holders that must never run twice (a gateway shard).
   */
  localFallback?: boolean;
}

/**
 * Single flight by name (the re-index, a Discord gateway shard): `acquire` gives a Lease to one
 * holder at a time and null to everyone else until it is released.
 */
export interface Leases {
  acquire(name: string, opts?: AcquireOptions): Promise<Lease | null>;
}

/** One process (today's behaviour). */
export class MemoryLeases implements Leases {
  private readonly held = new Set<string>();

  async acquire(name: string, _opts?: AcquireOptions): Promise<Lease | null> {
    return this.acquireNow(name);
  }

  acquireNow(name: string): Lease | null {
    if (this.held.has(name)) return null;
    this.held.add(name);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.held.delete(name);
      },
    };
  }
}

// Only the holder's token may extend or delete the key: a holder that lost it (paused past the TTL)
// must not end the next holder's lease.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RedisLeasesOptions {
  /** How long a lease outlives its last renewal: a killed holder frees it after this (default 30 s). */
  ttlMs?: number;
  prefix?: string;
  /** The `store` label its failures are counted under. */
  store?: SharedStore;
}

/**
 * Every replica: `SET name token NX PX ttl`, renewed every ttl/3 while the holder lives, so a
 * replica killed mid re-index never leaves the gate shut for longer than the TTL. Redis failing
 * at acquire, the gate falls back to this process alone (a re-index still runs; two replicas could
 * then both run one) and the failure is reported.
 */
export class RedisLeases implements Leases {
  private readonly ttlMs: number;
  private readonly prefix: string;
  private readonly store: SharedStore;
  private readonly local = new MemoryLeases();

  constructor(private readonly redis: Redis, private readonly onError: SharedStateErrorSink, opts: RedisLeasesOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.prefix = opts.prefix ?? 'lease:';
    this.store = opts.store ?? 'lease';
  }

  async acquire(name: string, opts: AcquireOptions = {}): Promise<Lease | null> {
    const key = `${this.prefix}${name}`;
    const token = randomUUID();
    const ttlMs = opts.ttlMs ?? this.ttlMs;
    let set: string | null;
    try {
      set = await this.redis.set(key, token, 'PX', ttlMs, 'NX');
    } catch (err) {
      this.onError(this.store, err);
      if (opts.localFallback === false) throw err;
      return this.local.acquireNow(name);
    }
    if (set !== 'OK') return null;
    const local = this.local.acquireNow(name);
    let released = false;
    // A failed renewal (Redis down) keeps the lease: nobody else can take it while Redis is down either.
    const timer = setInterval(() => {
      this.redis.eval(RENEW, 1, key, token, String(ttlMs)).then(
        (renewed) => {
          if (renewed !== 0 || released) return;
          released = true;
          clearInterval(timer);
          void local?.release();
          opts.onLost?.();
        },
        (err: unknown) => this.onError(this.store, err),
      );
    }, Math.max(Math.floor(ttlMs / 3), 10));
    timer.unref();
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await local?.release();
        try {
          await this.redis.eval(RELEASE, 1, key, token);
        } catch (err) {
          // The key expires by itself after the TTL.
          this.onError(this.store, err);
        }
      },
    };
  }
}
