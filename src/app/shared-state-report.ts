import type { EngineHealth } from '../shared-state/health.js';
import type { SharedState } from './shared-state.js';

/** What each engine being down costs the answers, in the words /readyz and /cairn-status use. */
const COST: Record<EngineHealth['engine'], string> = {
  Redis: 'deduping, rate-limiting and locking threads in this replica only until it is back',
  PostgreSQL: 'answering without thread memory and not recording votes until it is back',
};

export interface SharedStateReport {
  /** One line per unreachable engine; empty when all is well (or nothing is shared). */
  degraded: string[];
  /** The one-line /cairn-status field; `detail` adds the clients' error messages (admins only). */
  summary(detail: boolean): string;
}

/**
 * A shared engine being down never makes a replica unready: it keeps answering (degraded), and every
 * replica shares the same Redis and PostgreSQL, so failing the probe would take the whole fleet out of
 * the load balancer at once. It is reported instead.
 */
export async function sharedStateReport(shared: Pick<SharedState, 'kind' | 'health' | 'errorCounts'>): Promise<SharedStateReport> {
  const health = await shared.health();
  const down = health.filter((h) => !h.reachable);
  const counts = Object.entries(shared.errorCounts()).map(([store, n]) => `${store} ${n}`);
  return {
    degraded: down.map((h) => `${h.engine} unreachable (${h.error ?? 'no answer'}): ${COST[h.engine]}`),
    summary(detail) {
      if (health.length === 0) return 'in this process (one replica: REDIS_URL and DATABASE_URL are not set)';
      const engines = health.map((h) => (h.reachable ? `${h.engine} reachable` : `${h.engine} UNREACHABLE${detail && h.error ? ` (${h.error})` : ''}`));
      return `${engines.join(', ')}${counts.length > 0 ? `; failed calls since start: ${counts.join(', ')}` : ''}`;
    },
  };
}
