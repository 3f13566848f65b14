/**
 * `closed`: calls go through. `open`: calls are refused (the cool-down runs, or the one probe is
 * in flight). `half-open`: the cool-down is over and the next call is let through as the probe.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit; 0 never opens it. */
  failures: number;
  cooldownMs: number;
  now?: () => number;
  /** Told about every change, e.g. to log that answers are extractive for a while. */
  onChange?: (state: 'open' | 'closed', consecutiveFailures: number) => void;
}

/**
 * Stops calling a service that keeps failing, so each question is answered at once instead of
 * after a timeout, and lets one probe through after a cool-down to notice the service is back.
 * Twenty lines of state fit this one use better than a library built around wrapping functions
 * with its own timers and error-rate windows.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt: number | null = null;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly opts: CircuitBreakerOptions) {
    this.now = opts.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.probing || this.retryInMs > 0 ? 'open' : 'half-open';
  }

  /** Milliseconds left of the cool-down (0 when closed or over). */
  get retryInMs(): number {
    return this.openedAt === null ? 0 : Math.max(0, this.openedAt + this.opts.cooldownMs - this.now());
  }

  /** Whether a call may go ahead; in `half-open` the first caller becomes the probe. */
  admit(): 'call' | 'probe' | 'refused' {
    const state = this.state;
    if (state === 'open') return 'refused';
    if (state === 'closed') return 'call';
    this.probing = true;
    return 'probe';
  }

  succeeded(): void {
    const wasOpen = this.openedAt !== null;
    this.consecutive = 0;
    this.openedAt = null;
    this.probing = false;
    if (wasOpen) this.opts.onChange?.('closed', 0);
  }

  failed(admitted: 'call' | 'probe'): void {
    this.consecutive += 1;
    // A failed probe restarts the cool-down; a failure that was already in flight when the circuit opened does not.
    if (admitted === 'probe' || (this.openedAt === null && this.opts.failures > 0 && this.consecutive >= this.opts.failures)) {
      this.openedAt = this.now();
      this.probing = false;
      this.opts.onChange?.('open', this.consecutive);
    }
  }

  /** A call that ended without telling anything about the service (the asker gave up): frees the probe. */
  abandoned(admitted: 'call' | 'probe'): void {
    if (admitted === 'probe') this.probing = false;
  }
}
