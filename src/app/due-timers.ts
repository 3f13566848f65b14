/** setTimeout's longest delay; a longer wait is slept in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Jobs run at due times, one timer per key (arming a key again replaces its timer). Timers never keep
 * the process alive; `stop` clears them, aborts `signal` and waits for the jobs under way.
 */
export class DueTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly now: () => number) {}

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  at(key: string, dueAt: number, job: () => Promise<void>): void {
    if (this.abort.signal.aborted) return;
    const timer = setTimeout(() => {
      if (this.now() < dueAt) return this.at(key, dueAt, job);
      this.start(job);
    }, Math.min(Math.max(0, dueAt - this.now()), MAX_TIMER_MS));
    timer.unref();
    this.timers.set(key, timer);
  }

  start(job: () => Promise<void>): void {
    const run = job().finally(() => this.running.delete(run));
    this.running.add(run);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
