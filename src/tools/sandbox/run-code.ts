import { loaderExecArgv, siblingEntry } from '../../core/module-entry.js';
import type { SandboxFile, SandboxJob, SandboxLanguage, SandboxOutcome } from './protocol.js';
import { PythonSandbox } from './python-sandbox.js';
import { fail, SandboxProcess } from './sandbox-process.js';

export interface RunCodeInput {
  language: SandboxLanguage;
  code: string;
  /** Text files from the question; Python reads them under /data. */
  files?: SandboxFile[];
}

export interface RunCodeLimits {
  /** CPU budget: QuickJS stops itself (interrupt handler); Python is killed. Default 3 s. */
  timeLimitMs?: number;
  /** Wall clock from job start after which the parent kills the child. Default timeLimitMs + 2 s (JavaScript), timeLimitMs (Python). */
  wallTimeMs?: number;
  /** The interpreter's heap: QuickJS's, or Pyodide's above its loaded size. Default 32 MiB (JavaScript), 128 MiB (Python). */
  memoryLimitMb?: number;
  /** V8 heap of the JavaScript child process itself (`--max-old-space-size`). Default 64 MiB. */
  hostHeapMb?: number;
  maxStackBytes?: number;
  /** Output kept, in bytes. Default 8 KiB. */
  maxOutputBytes?: number;
  /** How long the child may take to start, not counted against the limits above. Default 20 s. */
  startupTimeoutMs?: number;
}

export type RunCodeResult = SandboxOutcome;

/** Longest script accepted. */
export const MAX_CODE_CHARS = 20_000;
export const LANGUAGES: readonly SandboxLanguage[] = ['javascript', 'python'];
const PYTHON_MEMORY_MB = 128;
/** Pyodide's loaded interpreter holds about 145 MB resident (bench/run-code.ts measured 143–146 MB idle); the outer bound sits well above it plus the heap cap. */
const PYTHON_RSS_BASE_MB = 384;

const JS_ENTRY = siblingEntry(import.meta.url, 'child');
let python: PythonSandbox | undefined;

/** The process-wide Python sandbox (one warm child), created on first use. */
export function pythonSandbox(): PythonSandbox {
  python ??= new PythonSandbox();
  return python;
}

/** Loads the Python interpreter ahead of the first question, when Python is offered. */
export function warmUpCodeRunner(languages: readonly SandboxLanguage[]): void {
  if (languages.includes('python')) pythonSandbox().warm();
}

/** Kills the warm Python child; a later run would start a cold one. */
export function closeCodeRunner(): void {
  python?.close();
  python = undefined;
}

/**
 * Runs a script in a one-shot child process: empty environment, CPU/memory/output limits inside, a heap
 * cap and a wall-clock kill outside, so a hang or a bomb costs one short-lived process and never the
 * bot's event loop. JavaScript runs in QuickJS; Python in Pyodide (see python-sandbox.ts). Never throws.
 */
export async function runCode(input: RunCodeInput, limits: RunCodeLimits = {}, signal?: AbortSignal): Promise<RunCodeResult> {
  if (!LANGUAGES.includes(input.language)) return fail(`${String(input.language)} cannot be run; use ${LANGUAGES.join(' or ')}`);
  if (typeof input.code !== 'string' || input.code.trim() === '') return fail('there is no code to run');
  if (input.code.length > MAX_CODE_CHARS) return fail(`the code is too long (${input.code.length} characters; at most ${MAX_CODE_CHARS})`);
  if (signal?.aborted) return fail('stopped: cancelled');

  const timeLimitMs = limits.timeLimitMs ?? 3000;
  const isPython = input.language === 'python';
  const memoryLimitMb = limits.memoryLimitMb ?? (isPython ? PYTHON_MEMORY_MB : 32);
  const job: SandboxJob = {
    language: input.language,
    code: input.code,
    timeLimitMs,
    memoryLimitBytes: memoryLimitMb * 1024 * 1024,
    maxStackBytes: limits.maxStackBytes ?? 512 * 1024,
    maxOutputBytes: limits.maxOutputBytes ?? 8192,
    ...(input.files?.length ? { files: input.files } : {}),
  };
  if (isPython) {
    return pythonSandbox().run(job, {
      wallTimeMs: limits.wallTimeMs ?? timeLimitMs,
      rssLimitBytes: (PYTHON_RSS_BASE_MB + memoryLimitMb) * 1024 * 1024,
      signal,
    });
  }
  const child = new SandboxProcess(
    JS_ENTRY.url,
    [...loaderExecArgv(JS_ENTRY), `--max-old-space-size=${limits.hostHeapMb ?? 64}`],
    limits.startupTimeoutMs ?? 20_000,
  );
  return child.run(job, { wallTimeMs: limits.wallTimeMs ?? timeLimitMs + 2000, signal });
}
