/** Why a watched call was cut off. */
export type Expiry = 'idle' | 'deadline';

export interface CallWatch {
  /** Aborts when the caller's signal does, when nothing arrives for `idleMs`, or at `deadlineMs`. */
  readonly signal: AbortSignal;
  /** Something arrived (a streamed chunk): the idle clock starts again. */
  alive(): void;
  /** Which limit cut the call off, if one did. */
  readonly expired: Expiry | undefined;
  dispose(): void;
}

/**
 * Limits for one model call that the HTTP client's own timeout lacks: that one stops at the
 * response headers, so a stream that starts and then stalls would hold its answer (and its queue
 * slot) until the socket's 300 s body timeout; and it applies per attempt, so retries multiply it.
 */
export function watchCall(limits: { idleMs: number; deadlineMs: number }, outer?: AbortSignal): CallWatch {
  const controller = new AbortController();
  let expired: Expiry | undefined;
  const cut = (why: Expiry) => () => {
    expired = why;
    controller.abort(new Error(`model call cut off: ${why}`));
  };
  const deadline = setTimeout(cut('deadline'), limits.deadlineMs);
  const idle = setTimeout(cut('idle'), limits.idleMs);
  return {
    signal: outer ? AbortSignal.any([outer, controller.signal]) : controller.signal,
    alive() {
      idle.refresh();
    },
    get expired() {
      return expired;
    },
    dispose() {
      clearTimeout(deadline);
      clearTimeout(idle);
    },
  };
}
