import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SandboxProcess, type RunLimits } from './sandbox-process.js';
import type { SandboxJob, SandboxOutcome } from './protocol.js';

/** Plain JavaScript in both src/ and dist/: the permission model forbids the worker TypeScript's loader needs. */
const ENTRY = new URL('./python-child.mjs', import.meta.url);
/** Node 20 names the flag `--experimental-permission`; later releases `--permission`. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

export interface PythonSandboxOptions {
  /** V8 heap of the child (Pyodide's JavaScript side). Default 256 MiB. */
  hostHeapMb?: number;
  /** Loading Pyodide takes seconds (tens on a loaded machine); this bounds it, apart from the job's limits. Default 60 s. */
  startupTimeoutMs?: number;
}

/**
 * Python runs in Pyodide inside a child process that loads the interpreter before any job exists. One
 * child is kept ready; each run takes it and a fresh one is started when the run ends, so no child ever
 * runs two users' code and a warm run skips the seconds Pyodide takes to load.
 */
export class PythonSandbox {
  private spare: SandboxProcess | undefined;
  private closed = false;

  constructor(private readonly options: PythonSandboxOptions = {}) {}

  /** Starts the spare child now, so the first run is warm too. */
  warm(): void {
    if (!this.closed) this.spare ??= this.start();
  }

  async run(job: SandboxJob, limits: RunLimits): Promise<SandboxOutcome> {
    const child = this.spare ?? this.start();
    this.spare = undefined;
    try {
      return await child.run(job, limits);
    } finally {
      this.warm();
    }
  }

  /** Kills the spare child; a later run starts a cold one. */
  close(): void {
    this.closed = true;
    this.spare?.kill();
    this.spare = undefined;
  }

  /** Resolves true once the spare child is loaded (for benchmarks and tests). */
  async ready(): Promise<boolean> {
    this.warm();
    return this.spare === undefined ? false : this.spare.started();
  }

  private start(): SandboxProcess {
    return new SandboxProcess(ENTRY, pythonExecArgv(this.options.hostHeapMb ?? 256), this.options.startupTimeoutMs ?? 60_000);
  }
}

/**
 * Node's permission model: the child may read the Pyodide package and its own entry file, nothing else,
 * and may not write, start processes or workers. Code generation from strings is off, which closes
 * `emscripten_run_script` (reachable from ctypes) and constructor-chain escapes.
 */
export function pythonExecArgv(hostHeapMb: number): string[] {
  const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide'));
  return [
    PERMISSION_FLAG,
    `--allow-fs-read=${pyodideDir}/`,
    `--allow-fs-read=${fileURLToPath(ENTRY)}`,
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${hostHeapMb}`,
    '--no-warnings',
  ];
}
