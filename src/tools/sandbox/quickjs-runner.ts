import {
  newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSContext, type QuickJSHandle,
} from 'quickjs-emscripten';
import type { SandboxJob, SandboxOutcome } from './protocol.js';
import { scrubHostDetails } from './scrub.js';

/** The project's lib (ES2023, no DOM) has no WebAssembly types; this is the one constructor used here. */
declare const WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => object };

const WASM_PAGE = 64 * 1024;
/** The prebuilt module starts at 16 MiB (its INITIAL_MEMORY); the memory handed to it must be at least that. */
const INITIAL_WASM_BYTES = 16 * 1024 * 1024;
/** Room above QuickJS's own limit for emscripten's stack and static data. */
const WASM_HEADROOM_BYTES = 16 * 1024 * 1024;

/**
 * In-VM setup, run before the user's code. It receives the one host function (`emit`, which appends to
 * stdout) and installs `console` around it; `emit` itself never becomes reachable from the script. The
 * helpers are captured here so a script that replaces JSON.stringify or String.prototype.slice can only
 * spoil its own output, and every string reaching the host is already cut to `cap` characters. `emit`
 * answers true once stdout is full, after which logging costs nothing.
 * Returns the formatter used for the script's completion value.
 */
const SETUP_SOURCE = `(function (emit, cap) {
  var stringify = JSON.stringify, toStr = String;
  var slice = Function.prototype.call.bind(String.prototype.slice);
  function show(v) {
    if (typeof v === 'string') return v;
    try { var s = stringify(v); if (typeof s === 'string') return s; } catch (e) {}
    try { return toStr(v); } catch (e) { return '[unprintable]'; }
  }
  var full = false;
  function log() {
    if (full) return;
    var line = '';
    for (var i = 0; i < arguments.length && line.length < cap; i++) line += (i > 0 ? ' ' : '') + slice(show(arguments[i]), 0, cap);
    full = emit(slice(line, 0, cap)) === true;
  }
  globalThis.console = { log: log, info: log, warn: log, error: log, debug: log };
  return function (v) { return v === undefined ? undefined : slice(show(v), 0, cap); };
})`;

/**
 * Runs one script in a fresh QuickJS runtime whose WebAssembly memory has a hard maximum. QuickJS's own
 * `setMemoryLimit` misses large strings and typed arrays (quickjs-emscripten issues #255, #271) while the
 * prebuilt module would grow its memory to 2 GiB; a capped `WebAssembly.Memory` makes such growth fail
 * inside the VM instead. Runs in the sandbox child process, which the parent also bounds from outside.
 * That process runs one script and exits, so handles are left to die with it rather than disposed one by
 * one (disposing a runtime that still owns objects aborts the WebAssembly module).
 */
export async function runInQuickJS(job: SandboxJob): Promise<SandboxOutcome> {
  const maximumBytes = Math.max(INITIAL_WASM_BYTES, job.memoryLimitBytes + WASM_HEADROOM_BYTES);
  const wasmMemory = new WebAssembly.Memory({ initial: INITIAL_WASM_BYTES / WASM_PAGE, maximum: Math.ceil(maximumBytes / WASM_PAGE) });
  const quickjs = await newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory }));
  const runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(job.memoryLimitBytes);
  // With this build deep recursion overflows the host's stack before QuickJS's own check trips; the child
  // reports that as a RangeError (see child.ts). The limit still bounds frames QuickJS does account for.
  runtime.setMaxStackSize(job.maxStackBytes);
  const deadline = Date.now() + job.timeLimitMs;
  let timedOut = false;
  runtime.setInterruptHandler(() => {
    if (Date.now() > deadline) timedOut = true;
    return timedOut;
  });
  const context = runtime.newContext();
  const stdout = new OutputBuffer(job.maxOutputBytes);
  const formatter = installConsole(context, stdout, job.maxOutputBytes);
  const evaluated = context.evalCode(job.code, 'main.js', { type: 'global' });
  if (evaluated.error) return failure(context, evaluated.error, stdout, timedOut);
  const settled = settle(context, evaluated.value);
  if ('error' in settled) return failure(context, settled.error, stdout, timedOut);
  const result = formatResult(context, formatter, settled.value, job.maxOutputBytes);
  return { ok: true, stdout: stdout.text(), ...(result === undefined ? {} : { result }) };
}

/** Appends console output up to a byte budget; past it, one marker and nothing more. */
class OutputBuffer {
  private readonly parts: string[] = [];
  private used = 0;
  private truncated = false;

  constructor(private readonly maxBytes: number) {}

  append(line: string): void {
    if (this.truncated) return;
    const bytes = Buffer.byteLength(line) + 1;
    if (this.used + bytes > this.maxBytes) {
      const room = Math.max(0, this.maxBytes - this.used - 1);
      const partial = Buffer.from(line).subarray(0, room).toString('utf8').replace(/\uFFFD$/u, '');
      if (partial !== '') this.parts.push(partial);
      this.parts.push('[output truncated]');
      this.truncated = true;
      return;
    }
    this.parts.push(line);
    this.used += bytes;
  }

  get full(): boolean {
    return this.truncated;
  }

  text(): string {
    return this.parts.join('\n');
  }
}

function installConsole(context: QuickJSContext, stdout: OutputBuffer, cap: number): QuickJSHandle {
  const emit = context.newFunction('emit', (line) => {
    const text = boundedString(context, line, cap);
    if (text !== undefined) stdout.append(text);
    return stdout.full ? context.true : context.false;
  });
  const setup = context.unwrapResult(context.evalCode(SETUP_SOURCE, 'setup.js'));
  return context.unwrapResult(context.callFunction(setup, context.undefined, emit, context.newNumber(cap)));
}

/** Reads a string out of the VM only if it is one and short enough; never copies an unbounded string. */
function boundedString(context: QuickJSContext, handle: QuickJSHandle, cap: number): string | undefined {
  if (context.typeof(handle) !== 'string') return undefined;
  if (context.getNumber(context.getProp(handle, 'length')) > cap) return undefined;
  return context.getString(handle);
}

/** Runs queued promise jobs and, when the script's value is a promise, unwraps it. */
function settle(context: QuickJSContext, value: QuickJSHandle): { value: QuickJSHandle } | { error: QuickJSHandle } {
  const jobs = context.runtime.executePendingJobs();
  if (jobs.error) return { error: jobs.error };
  const state = context.getPromiseState(value);
  if (state.type === 'fulfilled') return { value: state.notAPromise ? value : state.value };
  if (state.type === 'rejected') return { error: state.error };
  return { error: context.newError({ name: 'Error', message: 'the script returned a promise that never settled' }) };
}

function formatResult(context: QuickJSContext, formatter: QuickJSHandle, value: QuickJSHandle, cap: number): string | undefined {
  const formatted = context.callFunction(formatter, context.undefined, value);
  if (formatted.error) return '[unprintable value]';
  return boundedString(context, formatted.value, cap);
}

function failure(context: QuickJSContext, errorHandle: QuickJSHandle, stdout: OutputBuffer, timedOut: boolean): SandboxOutcome {
  const { name, message } = describeError(context, errorHandle);
  if (timedOut || (name === 'InternalError' && message === 'interrupted')) {
    return { ok: false, stdout: stdout.text(), error: 'stopped: time limit', stopped: 'time' };
  }
  if (name === 'InternalError' && /out of memory/iu.test(message)) {
    return { ok: false, stdout: stdout.text(), error: 'stopped: memory limit', stopped: 'memory' };
  }
  return { ok: false, stdout: stdout.text(), error: scrubHostDetails(`${name}: ${message}`) };
}

/** Name and message only, read as plain properties so no stack ever leaves the VM. */
function describeError(context: QuickJSContext, handle: QuickJSHandle): { name: string; message: string } {
  if (context.typeof(handle) !== 'object') {
    return { name: 'Error', message: boundedString(context, handle, 500) ?? `a ${context.typeof(handle)} was thrown` };
  }
  const read = (key: string): string | undefined => boundedString(context, context.getProp(handle, key), 500);
  return { name: read('name') ?? 'Error', message: read('message') ?? '' };
}
