/** Messages between the parent (`runCode`) and a sandbox child process. JSON over the IPC channel. */

export type SandboxLanguage = 'javascript' | 'python';

/** A text file from the question, readable by the code under `/data/<name>` (Python). */
export interface SandboxFile {
  name: string;
  content: string;
}

export interface SandboxJob {
  language: SandboxLanguage;
  code: string;
  /** The interpreter stops itself after this long (QuickJS's interrupt handler); Python is killed instead. */
  timeLimitMs: number;
  /** The interpreter's own memory: QuickJS's allocator limit, or Pyodide's heap above its loaded size. */
  memoryLimitBytes: number;
  maxStackBytes: number;
  maxOutputBytes: number;
  files?: SandboxFile[];
}

export type StopReason = 'time' | 'memory' | 'output';

export interface SandboxOutcome {
  ok: boolean;
  stdout: string;
  /** The value of the last expression, as text (JSON or repr for objects), when there is one. */
  result?: string;
  /** `Name: message` of the raised error, host paths removed. */
  error?: string;
  stopped?: StopReason;
}

export type ChildMessage = { kind: 'ready' } | { kind: 'outcome'; outcome: SandboxOutcome };
