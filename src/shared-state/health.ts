import type { Redis } from 'ioredis';
import type pg from 'pg';

/** Whether a shared engine answers now: what /readyz and /cairn-status report. */
export interface EngineHealth {
  engine: 'Redis' | 'PostgreSQL';
  reachable: boolean;
  /** Why not, in the client's words (no secrets: URLs are never part of these messages). */
  error?: string;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A disconnected client is reported at once: with no offline queue a PING would only fail. */
export async function redisHealth(redis: Redis): Promise<EngineHealth> {
  if (redis.status !== 'ready') return { engine: 'Redis', reachable: false, error: `not connected (${redis.status})` };
  try {
    await redis.ping();
    return { engine: 'Redis', reachable: true };
  } catch (err) {
    return { engine: 'Redis', reachable: false, error: reason(err) };
  }
}

export async function postgresHealth(pool: pg.Pool): Promise<EngineHealth> {
  try {
    await pool.query('SELECT 1');
    return { engine: 'PostgreSQL', reachable: true };
  } catch (err) {
    return { engine: 'PostgreSQL', reachable: false, error: reason(err) };
  }
}
