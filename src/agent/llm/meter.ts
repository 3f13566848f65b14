import type { AnswerReply } from '../../core/answer.js';

/** Counts what one answer cost: model calls, tokens, and time per step. */
export class RunMeter {
  private calls = 0;
  private promptTokens = 0;
  private completionTokens = 0;
  private readonly timings: Record<string, number> = {};
  private readonly started = performance.now();

  /** Every attempted call counts, failed ones too: they cost time and often tokens. */
  countCall(usage?: { input_tokens?: number; output_tokens?: number }): void {
    this.calls += 1;
    this.promptTokens += usage?.input_tokens ?? 0;
    this.completionTokens += usage?.output_tokens ?? 0;
  }

  addTime(step: string, ms: number): void {
    this.timings[step] = (this.timings[step] ?? 0) + ms;
  }

  async time<T>(step: string, work: () => Promise<T>): Promise<T> {
    const at = performance.now();
    try {
      return await work();
    } finally {
      this.addTime(step, performance.now() - at);
    }
  }

  llm(): AnswerReply['llm'] {
    return { calls: this.calls, promptTokens: this.promptTokens, completionTokens: this.completionTokens };
  }

  /** Per-step milliseconds, rounded, with `total` since the meter was made. */
  timingsMs(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [step, ms] of Object.entries(this.timings)) out[step] = Math.round(ms * 10) / 10;
    out.total = Math.round((performance.now() - this.started) * 10) / 10;
    return out;
  }
}
