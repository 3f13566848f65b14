/**
 * Coalesces progress edits to one message: at most one edit per `intervalMs`, always the latest
 * value, never two edits in flight, and none after `close()` (so the final answer is the last edit).
 * Values are rendered only when an edit is sent, so frequent updates cost nothing in between.
 * Every surface's progress message and re-index progress goes through this one class.
 */
export class ThrottledEditor<T> {
  private lastAt: number;
  private pending: { value: T } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly now: () => number;

  constructor(
    private readonly edit: (value: T) => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
    opts: { now?: () => number; immediateFirst?: boolean } = {},
  ) {
    this.now = opts.now ?? Date.now;
    // By default a placeholder was just posted, so the first edit waits a full interval after it.
    this.lastAt = opts.immediateFirst ? 0 : this.now();
  }

  push(value: T): void {
    if (this.closed) return;
    this.pending = { value };
    if (this.timer) return;
    const wait = Math.max(0, this.lastAt + this.intervalMs - this.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Drops any pending edit and waits for the one in flight. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    await this.inFlight;
  }

  private flush(): void {
    this.timer = null;
    const next = this.pending;
    this.pending = null;
    if (this.closed || next === null) return;
    this.lastAt = this.now();
    this.inFlight = this.inFlight.then(() => this.edit(next.value)).catch(this.onError);
  }
}
