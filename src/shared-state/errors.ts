import type { Logger } from '../core/logger.js';

/** Which piece of shared state failed: the `store` label of `cairn_shared_state_errors_total`. */
export type SharedStore = 'dedupe' | 'rate_limit' | 'threads' | 'thread_lock' | 'lease' | 'checkpoints' | 'feedback';

/**
 * Called whenever Redis or PostgreSQL failed and a replica fell back to its own memory (or went on
 * without the state). The app counts it and logs it; the stores only report.
 */
export type SharedStateErrorSink = (store: SharedStore, err: unknown) => void;

/**
 * Logs a failure once per store per `quietMs` (a Redis that is down fails every call; one warning
 * a minute says so without flooding the log), and calls `count` for every failure.
 */
export function sharedStateErrorSink(logger: Logger, count: (store: SharedStore) => void, quietMs = 60_000): SharedStateErrorSink {
  const lastLogged = new Map<SharedStore, number>();
  return (store, err) => {
    count(store);
    const now = Date.now();
    if (now - (lastLogged.get(store) ?? -Infinity) < quietMs) return;
    lastLogged.set(store, now);
    const e = err as { code?: unknown; message?: unknown } | null;
    logger.warn(
      { store, code: e?.code, error: typeof e?.message === 'string' ? e.message : String(err) },
      'shared state unreachable; this replica falls back to its own memory until it is back',
    );
  };
}
