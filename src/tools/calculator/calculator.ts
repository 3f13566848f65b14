import type { Worker } from 'node:worker_threads';
import { siblingEntry, startWorker, type EntryModule } from '../../core/module-entry.js';
import { expressionLengthError } from './allow-list.js';
import type { CalculationResult } from './restricted-math.js';
import type { CalculatorMessage, CalculatorRequest } from './worker.js';

export type { CalculationResult };

export interface CalculatorOptions {
  /** Per expression, once the worker is up. The allow-list already rules out slow expressions. */
  timeoutMs?: number;
  /** Heap cap of the worker thread. */
  memoryMb?: number;
  /** How long the worker may take to start (loading mathjs; much longer from TypeScript sources). */
  startupTimeoutMs?: number;
  /** The worker module; tests point it at a stand-in that hangs or exhausts its heap on request. */
  workerEntry?: EntryModule;
}

const WORKER_ENTRY = siblingEntry(import.meta.url, 'worker');

/**
 * Evaluates expressions off the main thread in one long-lived worker, one at a time. A worker that
 * overruns the time limit or its heap is terminated and replaced on the next call; nothing is carried
 * from one expression to the next either way (the worker builds a fresh mathjs instance per call).
 */
export class Calculator {
  private readonly timeoutMs: number;
  private readonly memoryMb: number;
  private readonly startupTimeoutMs: number;
  private readonly workerEntry: EntryModule;
  /** The worker being started or running; dropped when it is discarded so the next call starts another. */
  private worker: { ready: Promise<Worker>; instance?: Worker } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(options: CalculatorOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.memoryMb = options.memoryMb ?? 64;
    this.startupTimeoutMs = options.startupTimeoutMs ?? 30_000;
    this.workerEntry = options.workerEntry ?? WORKER_ENTRY;
  }

  evaluate(expression: string): Promise<CalculationResult> {
    const lengthError = expressionLengthError(expression);
    if (lengthError !== null) return Promise.resolve({ ok: false, error: lengthError });
    const run = this.queue.then(() => this.runOne(expression));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Starts the worker ahead of the first call (loading mathjs takes a second or more). Never throws. */
  async warmUp(): Promise<void> {
    await this.started().catch(() => undefined);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.ready.then((w) => w.terminate(), () => undefined);
  }

  private async runOne(expression: string): Promise<CalculationResult> {
    let worker: Worker;
    try {
      worker = await this.started();
    } catch {
      return { ok: false, error: 'the calculator is unavailable right now' };
    }
    const id = this.nextId++;
    return new Promise<CalculationResult>((resolve) => {
      const finish = (result: CalculationResult, discard: boolean): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (discard) this.discard(worker);
        resolve(result);
      };
      const onMessage = (message: CalculatorMessage): void => {
        if (message.kind === 'result' && message.id === id) finish(message.result, false);
      };
      const onError = (err: Error & { code?: string }): void => {
        const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
        finish({ ok: false, error: memory ? 'stopped: memory limit' : 'the calculator failed on this expression' }, true);
      };
      const onExit = (): void => finish({ ok: false, error: 'the calculator stopped unexpectedly' }, true);
      const timer = setTimeout(() => finish({ ok: false, error: `stopped: time limit (${this.timeoutMs} ms)` }, true), this.timeoutMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage({ id, expression } satisfies CalculatorRequest);
    });
  }

  private started(): Promise<Worker> {
    if (this.worker === undefined) {
      const slot: { ready: Promise<Worker>; instance?: Worker } = { ready: this.spawn() };
      slot.ready.then((w) => { slot.instance = w; }, () => { if (this.worker === slot) this.worker = undefined; });
      this.worker = slot;
    }
    return this.worker.ready;
  }

  private spawn(): Promise<Worker> {
    const worker = startWorker(this.workerEntry, {
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: 16 },
    });
    // An idle calculator must not keep the process alive.
    worker.unref();
    // Between calls too, a failing worker must be dropped, and its 'error' must never go unhandled.
    const forget = (): void => { if (this.worker?.instance === worker) this.worker = undefined; };
    worker.on('error', forget);
    worker.on('exit', forget);
    return new Promise<Worker>((resolve, reject) => {
      const timer = setTimeout(() => { cleanup(); void worker.terminate(); reject(new Error('calculator worker did not start')); }, this.startupTimeoutMs);
      const onMessage = (message: CalculatorMessage): void => { if (message.kind === 'ready') { cleanup(); resolve(worker); } };
      const onFail = (): void => { cleanup(); reject(new Error('calculator worker failed to start')); };
      const cleanup = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onFail);
        worker.off('exit', onFail);
      };
      worker.on('message', onMessage);
      worker.once('error', onFail);
      worker.once('exit', onFail);
    });
  }

  private discard(worker: Worker): void {
    if (this.worker?.instance === worker) this.worker = undefined;
    void worker.terminate();
  }
}

const shared = new Calculator();

/**
 * Evaluates one arithmetic or unit-conversion expression ("2+2*3", "5 km to mile") with the allow-list,
 * size bounds and time limit. Never throws. This is what the extractive (no-LLM) mode calls directly.
 */
export function evaluateExpression(expression: string): Promise<CalculationResult> {
  return shared.evaluate(expression);
}

/** Starts the shared calculator's worker now rather than on the first question. */
export function warmUpCalculator(): Promise<void> {
  return shared.warmUp();
}

/** Stops the shared calculator's worker (on shutdown). A later call starts a new one. */
export function closeCalculator(): Promise<void> {
  return shared.close();
}
