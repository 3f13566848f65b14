import cliProgress from 'cli-progress';
import type { IngestFailure } from './failures.js';

/**
 * "reading" counts files; "embedding" counts chunks; "writing" counts documents stored. Embedding and
 * writing overlap: each batch is written as soon as its vectors are back.
 */
export type IngestPhase = 'reading' | 'embedding' | 'writing';

export interface IngestProgress {
  start(phase: IngestPhase, total: number): void;
  /** `done` is the count so far within the phase, not an increment. */
  update(phase: IngestPhase, done: number): void;
  /** A skipped input, shown when it happens (the summary repeats it). */
  failed(failure: IngestFailure): void;
  finish(): void;
}

const UNITS: Record<IngestPhase, string> = { reading: 'files', embedding: 'chunks', writing: 'documents' };

export function describeFailure(f: IngestFailure): string {
  return `${f.source}: ${f.reason.replace('_', '-')}${f.detail ? ` (${f.detail})` : ''}`;
}

/** A bar per phase on an interactive terminal, plain lines anywhere else (CI logs, pipes, files). */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }): IngestProgress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}

export function barProgress(stream: NodeJS.WritableStream): IngestProgress {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: '{phase} [{bar}] {percentage}% | {value}/{total} {unit} | {duration_formatted} (eta {eta_formatted})',
      // No terminal-mode changes and no SIGINT handler: Ctrl-C must still stop the process (or reach the
      // caller's AbortSignal) without leaving the cursor hidden or line wrapping off.
      hideCursor: false,
      linewrap: true,
      gracefulExit: false,
      clearOnComplete: false,
      emptyOnZero: true,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<IngestPhase, cliProgress.SingleBar>();
  return {
    start(phase, total) {
      bars.set(phase, multi.create(total, 0, { phase: phase.padEnd(9), unit: UNITS[phase] }));
    },
    update(phase, done) {
      bars.get(phase)?.update(done);
    },
    failed(failure) {
      const line = `skipped ${describeFailure(failure)}\n`;
      if (!multi.isActive) {
        stream.write(line);
        return;
      }
      // log() only queues the line for the next redraw; redraw now so it is not lost if the run ends first.
      multi.log(line);
      multi.update();
    },
    finish() {
      multi.stop();
    },
  };
}

/** One line when a phase starts, at every further 10 %, and when it completes. */
export function lineProgress(stream: NodeJS.WritableStream): IngestProgress {
  const state = new Map<IngestPhase, { total: number; decile: number }>();
  const write = (line: string) => stream.write(`${line}\n`);
  return {
    start(phase, total) {
      state.set(phase, { total, decile: 0 });
      write(`${phase}: ${total} ${UNITS[phase]}`);
    },
    update(phase, done) {
      const s = state.get(phase);
      if (!s || s.total === 0) return;
      const decile = Math.min(10, Math.floor((done / s.total) * 10));
      if (decile <= s.decile) return;
      s.decile = decile;
      write(`${phase}: ${decile * 10}% (${done}/${s.total})`);
    },
    failed(failure) {
      write(`skipped ${describeFailure(failure)}`);
    },
    finish() {},
  };
}

/** For callers with no one watching (the server's re-index); failures still land in the summary. */
export function silentProgress(): IngestProgress {
  return { start() {}, update() {}, failed() {}, finish() {} };
}
