import type { Lease, Leases } from './lease.js';

/**
 * One answer at a time per thread. LangGraph has no double-texting guard and checkpoint writes are
 * last-write-wins, so a follow-up answered while the previous answer is still being written would
 * read the thread without that answer and then overwrite its memory.
 */
export interface ThreadLocks {
  /** Waits up to `waitMs` for the thread; null when the wait ran out (the caller answers anyway). */
  acquire(thread: string, waitMs: number): Promise<Lease | null>;
}

/** How often a waiter retries a lock held by another replica (a release here wakes waiters at once). */
const POLL_MS = 50;

/**
 * Thread locks over Leases: in-process leases for one process, Redis leases (renewed while the
 * answer runs, expiring if its replica dies) for several. A waiter on the releasing replica is
 * woken at once; one on another replica notices within POLL_MS.
 */
export class LeaseThreadLocks implements ThreadLocks {
  private readonly wakers = new Map<string, Set<() => void>>();

  constructor(private readonly leases: Leases, private readonly opts: { pollMs?: number } = {}) {}

  async acquire(thread: string, waitMs: number): Promise<Lease | null> {
    const name = `thread:${thread}`;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const lease = await this.leases.acquire(name);
      if (lease) return this.waking(name, lease);
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await this.released(name, Math.min(left, this.opts.pollMs ?? POLL_MS));
    }
  }

  private waking(name: string, lease: Lease): Lease {
    return {
      release: async () => {
        await lease.release();
        const waiting = this.wakers.get(name);
        this.wakers.delete(name);
        for (const wake of waiting ?? []) wake();
      },
    };
  }

  /** Resolves when this process releases `name`, or after `ms`. */
  private released(name: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiting = this.wakers.get(name) ?? new Set<() => void>();
      this.wakers.set(name, waiting);
      const wake = () => {
        clearTimeout(timer);
        waiting.delete(wake);
        if (waiting.size === 0 && this.wakers.get(name) === waiting) this.wakers.delete(name);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiting.add(wake);
    });
  }
}
