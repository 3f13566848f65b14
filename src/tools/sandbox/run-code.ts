import { fork, type ChildProcess } from 'node:child_process';
import { loaderExecArgv, siblingEntry } from '../../core/module-entry.js';
import type { ChildMessage, SandboxJob, SandboxOutcome } from './protocol.js';

export interface RunCodeInput {
  language: 'javascript';
  code: string;
}

export interface RunCodeLimits {
  /** CPU budget inside QuickJS (its interrupt handler). Default 3 s. */
  timeLimitMs?: number;
  /** Wall clock from job start after which the parent kills the child. Default timeLimitMs + 2 s. */
  wallTimeMs?: number;
  /** QuickJS heap. Default 32 MiB; the WebAssembly memory is capped 16 MiB above it. */
  memoryLimitMb?: number;
  /** V8 heap of the child process itself (`--max-old-space-size`). Default 64 MiB. */
  hostHeapMb?: number;
  maxStackBytes?: number;
  /** Console output kept, in bytes. Default 8 KiB. */
  maxOutputBytes?: number;
  /** How long the child may take to start, not counted against the limits above. Default 20 s. */
  startupTimeoutMs?: number;
}

export type RunCodeResult = SandboxOutcome;

/** Longest script accepted. */
export const MAX_CODE_CHARS = 20_000;

const CHILD_ENTRY = siblingEntry(import.meta.url, 'child');
const STDERR_KEPT = 4096;

/**
 * Runs JavaScript in QuickJS inside a one-shot child process: empty environment, no host functions but
 * a console shim, CPU/memory/output limits inside, and a heap cap plus a wall-clock kill outside, so a
 * hang or a bomb costs one short-lived process and never the bot's event loop. Never throws.
 */
export async function runCode(input: RunCodeInput, limits: RunCodeLimits = {}, signal?: AbortSignal): Promise<RunCodeResult> {
  if (input.language !== 'javascript') return fail('only JavaScript can be run');
  if (typeof input.code !== 'string' || input.code.trim() === '') return fail('there is no code to run');
  if (input.code.length > MAX_CODE_CHARS) return fail(`the code is too long (${input.code.length} characters; at most ${MAX_CODE_CHARS})`);
  if (signal?.aborted) return fail('stopped: cancelled');

  const timeLimitMs = limits.timeLimitMs ?? 3000;
  const job: SandboxJob = {
    code: input.code,
    timeLimitMs,
    memoryLimitBytes: (limits.memoryLimitMb ?? 32) * 1024 * 1024,
    maxStackBytes: limits.maxStackBytes ?? 512 * 1024,
    maxOutputBytes: limits.maxOutputBytes ?? 8192,
  };
  const child = fork(CHILD_ENTRY.url, [], {
    env: {},
    execArgv: [...loaderExecArgv(CHILD_ENTRY), `--max-old-space-size=${limits.hostHeapMb ?? 64}`],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  return supervise(child, job, {
    wallTimeMs: limits.wallTimeMs ?? timeLimitMs + 2000,
    startupTimeoutMs: limits.startupTimeoutMs ?? 20_000,
    signal,
  });
}

function supervise(
  child: ChildProcess,
  job: SandboxJob,
  opts: { wallTimeMs: number; startupTimeoutMs: number; signal: AbortSignal | undefined },
): Promise<RunCodeResult> {
  return new Promise<RunCodeResult>((resolve) => {
    let stderr = '';
    let killedFor: 'time' | 'startup' | 'cancelled' | undefined;
    let settled = false;
    const finish = (result: RunCodeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(result);
    };
    const kill = (reason: typeof killedFor): void => {
      killedFor = reason;
      child.kill('SIGKILL');
    };
    const onAbort = (): void => kill('cancelled');
    let timer = setTimeout(() => kill('startup'), opts.startupTimeoutMs);

    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEPT) stderr += chunk.toString('utf8').slice(0, STDERR_KEPT - stderr.length);
    });
    child.on('message', (message: ChildMessage) => {
      if (message.kind === 'ready') {
        clearTimeout(timer);
        timer = setTimeout(() => kill('time'), opts.wallTimeMs);
        child.send(job);
      } else if (message.kind === 'outcome') {
        finish(message.outcome);
      }
    });
    child.on('error', () => finish(fail('the sandbox could not be started')));
    child.on('close', (code, signal) => {
      if (killedFor === 'time') return finish({ ...fail('stopped: time limit'), stopped: 'time' });
      if (killedFor === 'cancelled') return finish(fail('stopped: cancelled'));
      if (killedFor === 'startup') return finish(fail('the sandbox did not start in time'));
      // V8 aborts the process (SIGABRT, exit 134) when the capped heap runs out.
      if (/heap out of memory|Allocation failed/iu.test(stderr) || signal === 'SIGABRT' || code === 134) {
        return finish({ ...fail('stopped: memory limit'), stopped: 'memory' });
      }
      return finish(fail('the sandbox stopped unexpectedly'));
    });
  });
}

function fail(error: string): RunCodeResult {
  return { ok: false, stdout: '', error };
}
