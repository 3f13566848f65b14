// @ts-check
/**
 * Entry of a Python sandbox child: loads Pyodide, closes every route from Python to the host, says
 * "ready", then runs exactly one job and exits. Plain JavaScript because it runs under Node's permission
 * model, which forbids the worker thread TypeScript's loader needs; `// @ts-check` keeps it type-checked.
 *
 * Layers, outermost first (the parent adds the empty environment, heap cap, wall-clock kill and memory
 * watch): Node's permission model (reads of the Pyodide package and this file only, no writes, no child
 * processes, no workers); a capped WebAssembly memory; host capabilities removed from the JavaScript
 * globals; the `js`/`pyodide_js` bridges unregistered and Python's own bridge modules made unimportable.
 */
import { constants } from 'node:fs';

const send = process.send?.bind(process);
if (send === undefined) process.exit(1);
const exit = process.exit.bind(process);

/** @typedef {{ language: 'python', code: string, timeLimitMs: number, memoryLimitBytes: number, maxStackBytes: number, maxOutputBytes: number, files?: { name: string, content: string }[] }} PythonJob */

const WASM_PAGE = 65536;
/** Pyodide's heap when loaded, before any user code; the job's memory limit is granted above it. */
let baselineBytes = 0;
let memoryCapBytes = Infinity;
/** @typedef {{ buffer: ArrayBuffer, grow(this: WasmMemory, delta: number): number }} WasmMemory */
// The project's lib (ES2023, no DOM) has no WebAssembly types.
const memoryPrototype = /** @type {{ WebAssembly: { Memory: { prototype: WasmMemory } } }} */ (/** @type {unknown} */ (globalThis)).WebAssembly.Memory.prototype;
const realGrow = memoryPrototype.grow;
// Emscripten grows its heap through this call; refusing it makes malloc fail, which Python raises as
// MemoryError, instead of the heap growing to 4 GiB.
memoryPrototype.grow = function grow(/** @type {number} */ delta) {
  if (this.buffer.byteLength + delta * WASM_PAGE > memoryCapBytes) throw new RangeError('sandbox memory limit');
  return realGrow.call(this, delta);
};

// Pyodide's NODEFS reads fs flags through process.binding, which the permission model denies; it needs
// nothing else from it, and no host directory is ever mounted.
const denied = () => {
  throw new Error('not available in the sandbox');
};
const proc = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (process));
proc.binding = (/** @type {string} */ name) => (name === 'constants' ? { fs: constants } : denied());

const { loadPyodide } = await import('pyodide');
const pyodide = await loadPyodide({ env: { HOME: '/home/sandbox' }, stdout: () => {}, stderr: () => {} });

pyodide.unregisterJsModule('js');
pyodide.unregisterJsModule('pyodide_js');
for (const name of ['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest', 'Worker', 'SharedWorker', 'importScripts']) {
  Reflect.deleteProperty(globalThis, name);
}
for (const name of ['getBuiltinModule', 'binding', '_linkedBinding', 'dlopen', 'kill', 'chdir', 'abort', 'setuid', 'setgid']) {
  proc[name] = denied;
}
proc.env = {};
proc.argv = ['python'];
proc.execArgv = [];

/** Runs before any job: makes the bridges and host-facing modules unimportable and hides host paths. */
const PRELUDE = String.raw`
import sys, os

def _make_runner():
    from _pyodide._base import eval_code
    def run(code):
        # A fresh namespace per job; the value comes back as Python shows it (repr), strings as they are.
        value = eval_code(code, {'__name__': '__main__'}, filename='<code>')
        return None if value is None else value if isinstance(value, str) else repr(value)
    return run
_run_job = _make_runner()


_BLOCKED = frozenset({
    'js', 'pyodide_js', 'pyodide', '_pyodide', '_pyodide_core', 'micropip', 'pyodide_http',
    'ctypes', '_ctypes', 'socket', '_socket', 'ssl', '_ssl', 'select', 'selectors', 'subprocess',
    '_posixsubprocess', 'multiprocessing', 'asyncio', 'urllib.request', 'http.client', 'ftplib',
    'smtplib', 'imaplib', 'poplib', 'telnetlib', 'webbrowser', 'ensurepip', 'venv', 'pip',
})

def _blocked(name):
    return any(name == b or name.startswith(b + '.') for b in _BLOCKED)

for _name in list(sys.modules):
    if _blocked(_name):
        sys.modules[_name] = None

class _Refuse:
    """First on sys.meta_path: a blocked name never reaches a finder that could load it."""
    @staticmethod
    def find_spec(name, path=None, target=None):
        if _blocked(name):
            raise ImportError(f"{name} is not available in the sandbox")
        return None
    @staticmethod
    def find_module(name, path=None):
        return _Refuse.find_spec(name)

sys.meta_path[:] = [_Refuse] + [f for f in sys.meta_path if type(f).__name__ != 'JsFinder']
sys.path_hooks[:] = [h for h in sys.path_hooks if 'Js' not in getattr(h, '__name__', '')]

def _no(*args, **kwargs):
    raise PermissionError("processes are not available in the sandbox")
for _fn in ('system', 'popen', 'execv', 'execve', 'execl', 'execle', 'execlp', 'execvp', 'execvpe',
            'spawnl', 'spawnle', 'spawnv', 'spawnve', 'fork', 'forkpty', 'kill', 'killpg', 'posix_spawn',
            'posix_spawnp'):
    if hasattr(os, _fn):
        setattr(os, _fn, _no)
import posix
for _fn in ('system', 'execv', 'execve', 'fork', 'kill', 'posix_spawn', 'posix_spawnp'):
    if hasattr(posix, _fn):
        setattr(posix, _fn, _no)

os.environ.clear()
os.environ.update({'HOME': '/home/sandbox', 'PATH': '/', 'LANG': 'C.UTF-8'})
sys.executable = ''
sys._base_executable = ''
sys.argv = ['']
sys.orig_argv = []

_MAX_RECURSION = 2000
_set_limit = sys.setrecursionlimit
def _capped_setrecursionlimit(n):
    _set_limit(min(int(n), _MAX_RECURSION))
sys.setrecursionlimit = _capped_setrecursionlimit
_set_limit(1000)

os.makedirs('/data', exist_ok=True)
os.chdir('/home/sandbox' if os.path.isdir('/home/sandbox') else '/tmp')
del _name, _fn, _no, posix
`;
pyodide.runPython(PRELUDE);
const runJob = /** @type {(code: string) => string | undefined} */ (pyodide.globals.get('_run_job'));
pyodide.runPython('del _run_job, _make_runner');
baselineBytes = /** @type {{ _module: { HEAPU8: Uint8Array } }} */ (/** @type {unknown} */ (pyodide))._module.HEAPU8.length;

process.once('message', (/** @type {PythonJob} */ job) => {
  memoryCapBytes = baselineBytes + job.memoryLimitBytes;
  const output = new Output(job.maxOutputBytes);
  const sink = { write: (/** @type {Uint8Array} */ bytes) => output.write(bytes), isatty: false };
  pyodide.setStdout(sink);
  pyodide.setStderr(sink);
  /** @type {import('./protocol.js').SandboxOutcome} */
  let outcome;
  try {
    writeFiles(job.files ?? []);
    const value = runJob(job.code);
    const result = value === undefined || value === null ? undefined : cap(String(value), job.maxOutputBytes);
    outcome = output.exceeded ? output.stopped() : { ok: true, stdout: output.text(), ...(result === undefined ? {} : { result }) };
  } catch (err) {
    outcome = output.exceeded ? output.stopped() : failure(err, output.text());
  }
  send({ kind: 'outcome', outcome }, undefined, {}, () => exit(0));
});
process.on('disconnect', () => exit(0));
send({ kind: 'ready' });

/** @param {{ name: string, content: string }[]} files */
function writeFiles(files) {
  for (const file of files) {
    const path = `/data/${file.name}`;
    pyodide.FS.writeFile(path, file.content);
    pyodide.FS.chmod(path, 0o444);
  }
}

/** @param {string} text @param {number} max */
function cap(text, max) {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** @param {unknown} err @param {string} stdout @returns {import('./protocol.js').SandboxOutcome} */
function failure(err, stdout) {
  const text = err instanceof Error ? err.message : String(err);
  if (/MemoryError|sandbox memory limit|Cannot enlarge memory|out of memory/u.test(text)) {
    return { ok: false, stdout, error: 'stopped: memory limit', stopped: 'memory' };
  }
  if (/RecursionError|Maximum call stack/u.test(text)) {
    return { ok: false, stdout, error: 'RecursionError: maximum recursion depth exceeded (too much recursion)' };
  }
  return { ok: false, stdout, error: pythonError(text) };
}

/**
 * The user's frames and the exception of a traceback. Pyodide's own frames would show the host's file
 * layout and tell the model nothing, and its notes about removed modules point at a package loader that
 * is switched off here.
 * @param {string} traceback
 */
function pythonError(traceback) {
  const lines = traceback.trim().split('\n');
  const kept = [];
  let exceptionAt = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.startsWith('  File ')) continue;
    exceptionAt = i + 1;
    while ((lines[exceptionAt] ?? '').startsWith('    ')) exceptionAt++;
    if (line.startsWith('  File "<code>"')) kept.push(...lines.slice(i, exceptionAt).filter((l) => !/^\s*[~^]+\s*$/u.test(l)));
  }
  const exception = lines.slice(exceptionAt).filter((l) => !/pyodide/iu.test(l)).join('\n')
    .replace(/^ModuleNotFoundError: import of ([\w.]+) halted; None in sys\.modules$/mu, 'ImportError: $1 is not available in the sandbox');
  return [...kept.slice(-6), exception || 'Error'].join('\n');
}

/** Captured output up to a byte budget; writing past it fails the write, which stops a print loop. */
class Output {
  /** @param {number} maxBytes */
  constructor(maxBytes) {
    this.maxBytes = maxBytes;
    /** @type {Buffer[]} */
    this.parts = [];
    this.used = 0;
    this.exceeded = false;
  }

  /** @param {Uint8Array} bytes */
  write(bytes) {
    if (this.used + bytes.length > this.maxBytes) {
      this.parts.push(Buffer.from(bytes.subarray(0, Math.max(0, this.maxBytes - this.used))));
      this.used = this.maxBytes;
      this.exceeded = true;
      throw new Error('output limit');
    }
    this.parts.push(Buffer.from(bytes));
    this.used += bytes.length;
    return bytes.length;
  }

  text() {
    return Buffer.concat(this.parts).toString('utf8').replace(/\uFFFD$/u, '').replace(/\n$/u, '');
  }

  /** @returns {import('./protocol.js').SandboxOutcome} */
  stopped() {
    return { ok: false, stdout: `${this.text()}\n[output truncated]`, error: `stopped: output limit (${this.maxBytes} bytes)`, stopped: 'output' };
  }
}
