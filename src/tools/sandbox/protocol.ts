/** Messages between `runCode` (parent) and the sandbox child process. JSON over the IPC channel. */

export interface SandboxJob {
  code: string;
  /** QuickJS stops itself (interrupt handler) after this long. */
  timeLimitMs: number;
  /** QuickJS's own allocator limit; the WebAssembly memory is capped a little above it. */
  memoryLimitBytes: number;
  maxStackBytes: number;
  maxOutputBytes: number;
}

export type StopReason = 'time' | 'memory';

export interface SandboxOutcome {
  ok: boolean;
  stdout: string;
  /** The completion value of the script, as text (JSON for objects), when it is not undefined. */
  result?: string;
  /** `Name: message` of the thrown error, host paths removed. */
  error?: string;
  stopped?: StopReason;
}

export type ChildMessage = { kind: 'ready' } | { kind: 'outcome'; outcome: SandboxOutcome };
