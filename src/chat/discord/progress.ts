/**
 * Shows progress by editing one message at most once per interval (Discord rate-limits edits),
 * always with the latest text, and never after `stop()`, so a late progress edit cannot
 * overwrite the answer that replaces it.
 */
export class ThrottledEditor {
  private lastShownAt = 0;
  private lastText: string | null = null;
  private pending: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly show: (text: string) => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  update(text: string): void {
    if (this.stopped || text === this.lastText) return;
    this.pending = text;
    if (this.timer) return;
    const wait = Math.max(0, this.lastShownAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Cancels what is not shown yet and waits for an edit in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.chain;
  }

  private flush(): void {
    this.timer = undefined;
    const text = this.pending;
    this.pending = null;
    if (this.stopped || text === null) return;
    this.lastShownAt = Date.now();
    this.lastText = text;
    this.chain = this.chain.then(() => this.show(text)).then(() => undefined, this.onError);
  }
}
