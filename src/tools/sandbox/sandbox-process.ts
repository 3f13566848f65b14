import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { ChildMessage, SandboxJob, SandboxOutcome } from './protocol.js';

const STDERR_KEPT = 4096;
const RSS_POLL_MS = 50;

export interface RunLimits {
  /** From the job's start (not the child's) to its kill. */
  wallTimeMs: number;
  /** Resident memory of the whole child after which it is killed; checked every 50 ms on Linux. */
  rssLimitBytes?: number;
  signal?: AbortSignal | undefined;
}

type Startup = 'ready' | 'timeout' | 'failed';

/**
 * One sandbox child process for one job: started with an empty environment, it announces itself ready,
 * gets a single job and is killed when the job ends, overruns or is cancelled. Starting and running are
 * apart so a child can be started (warmed) before a job exists; start-up never counts against the job.
 */
export class SandboxProcess {
  private readonly child: ChildProcess;
  private readonly startup: Promise<Startup>;
  private stderr = '';
  private used = false;

  constructor(entry: URL, execArgv: string[], startupTimeoutMs: number) {
    this.child = fork(entry, [], { env: {}, execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      if (this.stderr.length < STDERR_KEPT) this.stderr += chunk.toString('utf8').slice(0, STDERR_KEPT - this.stderr.length);
    });
    this.startup = new Promise<Startup>((resolve) => {
      const timer = setTimeout(() => {
        this.kill();
        resolve('timeout');
      }, startupTimeoutMs);
      const settle = (state: Startup): void => {
        clearTimeout(timer);
        resolve(state);
      };
      this.child.once('message', (message: ChildMessage) => settle(message.kind === 'ready' ? 'ready' : 'failed'));
      this.child.once('error', () => settle('failed'));
      this.child.once('exit', () => settle('failed'));
    });
    this.idle();
  }

  /** Resolves once the child is ready to take its job, or failed to get there. */
  async started(): Promise<boolean> {
    return (await this.startup) === 'ready';
  }

  /** Runs the one job this child will ever run. Never throws. */
  async run(job: SandboxJob, limits: RunLimits): Promise<SandboxOutcome> {
    if (this.used) return fail('the sandbox process was already used');
    this.used = true;
    this.child.ref();
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
    let onAbort = (): void => undefined;
    const cancelled = new Promise<'cancelled'>((resolve) => {
      onAbort = () => resolve('cancelled');
      if (limits.signal?.aborted) onAbort();
      limits.signal?.addEventListener('abort', onAbort, { once: true });
    });
    const startup = await Promise.race([this.startup, cancelled]);
    // supervise() watches the signal itself from here on.
    limits.signal?.removeEventListener('abort', onAbort);
    if (startup !== 'ready') {
      this.kill();
      if (startup === 'cancelled') return fail('stopped: cancelled');
      return fail(startup === 'timeout' ? 'the sandbox did not start in time' : 'the sandbox could not be started');
    }
    return this.supervise(job, limits);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** A waiting child must not keep the bot's process (or a test run) alive on its own. */
  private idle(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }

  private supervise(job: SandboxJob, limits: RunLimits): Promise<SandboxOutcome> {
    const child = this.child;
    return new Promise<SandboxOutcome>((resolve) => {
      let killedFor: 'time' | 'memory' | 'cancelled' | undefined;
      let settled = false;
      const kill = (reason: typeof killedFor): void => {
        killedFor ??= reason;
        this.kill();
      };
      const onAbort = (): void => kill('cancelled');
      const timer = setTimeout(() => kill('time'), limits.wallTimeMs);
      const watch = limits.rssLimitBytes === undefined ? undefined : watchRss(child, limits.rssLimitBytes, () => kill('memory'));
      const finish = (result: SandboxOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (watch !== undefined) clearInterval(watch);
        limits.signal?.removeEventListener('abort', onAbort);
        this.kill();
        resolve(result);
      };
      limits.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('message', (message: ChildMessage) => {
        if (message.kind === 'outcome') finish(message.outcome);
      });
      child.on('close', (code, signal) => {
        if (killedFor === 'time') return finish({ ...fail('stopped: time limit'), stopped: 'time' });
        if (killedFor === 'memory') return finish({ ...fail('stopped: memory limit'), stopped: 'memory' });
        if (killedFor === 'cancelled') return finish(fail('stopped: cancelled'));
        // V8 aborts the process (SIGABRT, exit 134) when the capped heap runs out.
        if (/heap out of memory|Allocation failed/iu.test(this.stderr) || signal === 'SIGABRT' || code === 134) {
          return finish({ ...fail('stopped: memory limit'), stopped: 'memory' });
        }
        return finish(fail('the sandbox stopped unexpectedly'));
      });
      child.send(job);
    });
  }
}

/** Kills the child when its resident memory passes the limit: the outermost memory bound, whatever runs inside. */
function watchRss(child: ChildProcess, limitBytes: number, onExceeded: () => void): NodeJS.Timeout | undefined {
  if (child.pid === undefined || process.platform !== 'linux') return undefined;
  const statm = `/proc/${child.pid}/statm`;
  const timer = setInterval(() => {
    readFile(statm, 'utf8').then(
      (text) => {
        const residentPages = Number(text.split(' ')[1]);
        if (residentPages * 4096 > limitBytes) onExceeded();
      },
      () => clearInterval(timer),
    );
  }, RSS_POLL_MS);
  timer.unref();
  return timer;
}

export function fail(error: string): SandboxOutcome {
  return { ok: false, stdout: '', error };
}
