import type { Logger } from '../../core/logger.js';
import type { Lease, Leases } from '../../shared-state/lease.js';
import { logError } from '../shared/log-error.js';

/** One shard's live gateway connection. */
export interface ShardConnection {
  close(): Promise<void>;
}

export interface ShardKeeperOptions {
  shardCount: number;
  leases: Leases;
  /** Logs shard `shard` in and resolves once it is ready; rejects if it cannot. */
  connect(shard: number): Promise<ShardConnection>;
  logger: Logger;
  /**
   * How long a shard's lease outlives its holder's last renewal (renewed every third of it). A killed
   * holder's shard is free after this, then taken within one claim interval plus a login.
   */
  leaseTtlMs?: number;
  /** How often a replica tries to claim a shard it does not hold. */
  claimIntervalMs?: number;
}

/** What /cairn-status says about this replica's gateway shards. */
export interface ShardStatus {
  shardCount: number;
  held: { shard: number; since: Date; takenOver: boolean }[];
}

interface Held {
  lease: Lease;
  connection: ShardConnection;
  since: Date;
  takenOver: boolean;
}

export const SHARD_LEASE_TTL_MS = 9_000;
export const SHARD_CLAIM_INTERVAL_MS = 1_000;

/**
 * Keeps exactly one gateway connection per shard across the fleet: a replica logs a shard in only
 * while it holds that shard's lease (renewed in Redis, or in this process alone without REDIS_URL),
 * disconnects it when the lease turns out lost, and keeps trying to claim shards it does not hold,
 * so a dead holder's shard is taken over once its lease expires. One new shard per round: Discord
 * lets a bot identify only so often, and it spreads shards over replicas that start together.
 */
export class ShardKeeper {
  private readonly held = new Map<number, Held>();
  /** Shards seen held by another replica: claiming one later is a takeover. */
  private readonly heldElsewhere = new Set<number>();
  private readonly ttlMs: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly opts: ShardKeeperOptions) {
    this.ttlMs = opts.leaseTtlMs ?? SHARD_LEASE_TTL_MS;
    this.intervalMs = opts.claimIntervalMs ?? SHARD_CLAIM_INTERVAL_MS;
  }

  /** The first claim round: a login that fails here (a wrong token) rejects, so start-up says so. */
  async start(): Promise<void> {
    await (this.round = this.claimRound(true));
    this.schedule();
  }

  status(): ShardStatus {
    return {
      shardCount: this.opts.shardCount,
      held: [...this.held.entries()].sort(([a], [b]) => a - b).map(([shard, h]) => ({ shard, since: h.since, takenOver: h.takenOver })),
    };
  }

  /** Stops claiming; `disconnect` then closes the held shards and frees their leases for the others. */
  async stopClaiming(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  async disconnect(): Promise<void> {
    await this.stopClaiming();
    const held = [...this.held.entries()];
    this.held.clear();
    await Promise.allSettled(held.map(async ([shard, h]) => {
      await h.connection.close();
      await h.lease.release();
      this.opts.logger.info({ shard }, 'released discord shard');
    }));
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.claimRound(false).finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  private async claimRound(first: boolean): Promise<void> {
    const free = this.freeShards();
    for (const shard of free) {
      if (this.stopped) return;
      const lease = await this.claim(shard);
      if (!lease) continue;
      await this.connect(shard, lease, first);
      return;
    }
  }

  /** Shards this replica does not hold, starting at a random one so replicas do not all race for shard 0. */
  private freeShards(): number[] {
    const n = this.opts.shardCount;
    const start = Math.floor(Math.random() * n);
    return Array.from({ length: n }, (_, i) => (start + i) % n).filter((s) => !this.held.has(s));
  }

  private async claim(shard: number): Promise<Lease | null> {
    try {
      const lease = await this.opts.leases.acquire(`discord:shard:${shard}`, {
        ttlMs: this.ttlMs,
        localFallback: false,
        onLost: () => void this.lost(shard),
      });
      if (!lease) this.heldElsewhere.add(shard);
      return lease;
    } catch {
      // Redis is down (already reported and counted): whoever holds the shard keeps it meanwhile.
      return null;
    }
  }

  private async connect(shard: number, lease: Lease, first: boolean): Promise<void> {
    const log = this.opts.logger;
    let connection: ShardConnection;
    try {
      connection = await this.opts.connect(shard);
    } catch (err) {
      await lease.release();
      if (first) throw err;
      log.error({ shard, err: logError(err) }, 'could not connect a claimed discord shard; released it for another replica');
      return;
    }
    if (this.stopped) {
      await connection.close();
      await lease.release();
      return;
    }
    const takenOver = this.heldElsewhere.delete(shard);
    this.held.set(shard, { lease, connection, since: new Date(), takenOver });
    if (takenOver) log.warn({ shard, shardCount: this.opts.shardCount }, 'took over discord shard: its previous holder stopped renewing its lease');
    else log.info({ shard, shardCount: this.opts.shardCount }, 'holding discord shard');
  }

  private async lost(shard: number): Promise<void> {
    const h = this.held.get(shard);
    if (!h) return;
    this.held.delete(shard);
    this.heldElsewhere.add(shard);
    this.opts.logger.warn({ shard }, 'lost the lease on discord shard (another replica holds it now); disconnecting it');
    await h.connection.close().catch((err: unknown) => this.opts.logger.warn({ shard, err: logError(err) }, 'closing a lost discord shard failed'));
  }
}
