import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonSandbox, runCode, type RunCodeLimits } from '../../../src/tools/sandbox/run-code.js';
import { startCountingServer, type CountingServer } from '../../helpers/counting-server.js';

// Every run takes the warm child and a new one loads behind it (seconds on a busy machine); the time
// limits count from the job's start, so they stay short.
const py = (code: string, extra: RunCodeLimits = {}, files?: { name: string; content: string }[]) =>
  runCode({ language: 'python', code, ...(files ? { files } : {}) }, { timeLimitMs: 2000, ...extra });

/** Per test and hook: a cold Pyodide child loads in seconds, far longer on a loaded machine; loading never counts against the limits under test. */
const SLOW = 120_000;

const HOST_DETAILS = /\/work\/|node_modules|file:\/\/|pyodide\.asm|\/lib\/python/;

afterAll(() => pythonSandbox().close());

describe('runCode in Python', { timeout: SLOW }, () => {
  it('returns printed output and the value of the last expression', async () => {
    const outcome = await py('import statistics\nprint("mean", statistics.mean([1, 2, 3, 4]))\n{"n": 2 ** 10}');
    expect(outcome).toEqual({ ok: true, stdout: 'mean 2.5', result: "{'n': 1024}" });
  });

  it('reports an exception as its line and type, without the host\'s frames', async () => {
    const outcome = await py('x = 1\ny = 0\nx / y');
    expect(outcome).toEqual({ ok: false, stdout: '', error: '  File "<code>", line 3, in <module>\nZeroDivisionError: division by zero' });
  });

  it('reads a file from the question under /data, read-only', async () => {
    const files = [{ name: 'sales.csv', content: 'region,amount\nnorth,10\nsouth,32\n' }];
    const outcome = await py('import csv\nrows = list(csv.DictReader(open("/data/sales.csv")))\nsum(int(r["amount"]) for r in rows)', {}, files);
    expect(outcome).toMatchObject({ ok: true, result: '42' });
    const write = await py('open("/data/sales.csv", "w").write("x")', {}, files);
    expect(write.error).toMatch(/PermissionError/);
  });

  it('does not see a file written by an earlier run', async () => {
    expect(await py('open("/tmp/left-behind.txt", "w").write("secret")')).toMatchObject({ ok: true });
    const next = await py('import os\nos.path.exists("/tmp/left-behind.txt")');
    expect(next).toMatchObject({ ok: true, result: 'False' });
  });
});

describe('Python host bridges are closed', { timeout: SLOW }, () => {
  const routes = [
    'js', 'pyodide_js', 'pyodide', 'pyodide.ffi', 'pyodide.http', 'pyodide.code', '_pyodide', '_pyodide_core', 'micropip',
    'ctypes', 'subprocess', 'socket', 'urllib.request', 'http.client', 'multiprocessing',
  ];
  let seen: Record<string, string> = {};

  beforeAll(async () => {
    // One run tries every import, even after undoing the sandbox's own import hooks, and reports each.
    const outcome = await py(`
import sys, importlib
seen = {}
for name in ${JSON.stringify(routes)}:
    try:
        importlib.import_module(name)
        seen[name] = 'imported'
    except BaseException as e:
        seen[name] = type(e).__name__ + ': ' + str(e)
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != 'type' or f.__name__ != '_Refuse']
for name in ['js', 'pyodide_js']:
    sys.modules.pop(name, None)
    try:
        importlib.import_module(name)
        seen[name + ' (hooks undone)'] = 'imported'
    except BaseException as e:
        seen[name + ' (hooks undone)'] = type(e).__name__
import json
json.dumps(seen)`);
    seen = JSON.parse(outcome.result ?? '{}') as Record<string, string>;
  }, SLOW);

  it.each(routes)('import %s fails with an ImportError', (name) => {
    expect(seen[name]).toMatch(/^(ImportError|ModuleNotFoundError): /);
    expect(seen[name]).not.toMatch(HOST_DETAILS);
  });

  it('js and pyodide_js stay gone after the import hooks are removed', () => {
    expect(seen['js (hooks undone)']).toBe('ModuleNotFoundError');
    expect(seen['pyodide_js (hooks undone)']).toBe('ModuleNotFoundError');
  });

  describe('processes and host files', { timeout: SLOW }, () => {
    const attempts: Record<string, string> = {
      'os.system': 'os.system("id")',
      'os.popen': 'os.popen("id").read()',
      'os.fork': 'os.fork()',
      'posix.system': 'posix.system("id")',
      '/etc/passwd': 'open("/etc/passwd").read()',
      '/proc/self/environ': 'open("/proc/self/environ").read()',
      '/work': 'open("/work").read()',
    };
    let seen: Record<string, string> = {};

    beforeAll(async () => {
      // One run tries each in turn (each would stop the run if it got anywhere) and reports each error.
      const outcome = await py(`
import os, posix, json
seen = {}
for name, attempt in ${JSON.stringify(Object.entries(attempts))}:
    try:
        exec(attempt)
        seen[name] = 'ran'
    except BaseException as e:
        seen[name] = type(e).__name__ + ': ' + str(e)
json.dumps(seen)`);
      seen = JSON.parse(outcome.result ?? '{}') as Record<string, string>;
    }, SLOW);

    it.each(['os.system', 'os.popen', 'os.fork', 'posix.system'])('%s is refused', (name) => {
      expect(seen[name]).toBe('PermissionError: processes are not available in the sandbox');
    });

    it.each(['/etc/passwd', '/proc/self/environ', '/work'])('cannot open the host path %s', (name) => {
      expect(seen[name]).toMatch(/^(FileNotFoundError|IsADirectoryError): /);
    });
  });

  it('refuses a fork loop', async () => {
    const outcome = await py('import os\nwhile True:\n    os.fork()');
    expect(outcome.error).toMatch(/PermissionError: processes are not available in the sandbox/);
  });

  it('hides the host\'s environment and script path', async () => {
    const outcome = await py('import os, sys\n(dict(os.environ), sys.executable, sys.argv, sys.orig_argv)');
    expect(outcome.result).toBe("({'HOME': '/home/sandbox', 'PATH': '/', 'LANG': 'C.UTF-8'}, '', [''], [])");
  });
});

describe('Python resource limits', { timeout: SLOW }, () => {
  it.each([
    ['an endless loop', 'while True:\n    pass'],
    ['an endless loop that a finally block restarts', 'while True:\n    try:\n        while True:\n            pass\n    finally:\n        pass'],
    ['time.sleep(10**6)', 'import time\ntime.sleep(10**6)'],
  ])('stops %s at the time limit', async (_name, code) => {
    const started = Date.now();
    const outcome = await py(code, { timeLimitMs: 1000 });
    expect(outcome).toMatchObject({ ok: false, stopped: 'time', error: 'stopped: time limit' });
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it.each([
    ['a huge list', 'a = [0] * (10**8)'],
    ['a growing list of strings', 'l = []\nwhile True:\n    l.append("x" * 10**6)'],
    ['a huge bytearray', 'b = bytearray(2 * 10**9)'],
  ])('stops %s at the memory limit', async (_name, code) => {
    // A time limit far away, so only memory can stop it even when the machine is slow.
    expect(await py(code, { timeLimitMs: 20_000 })).toMatchObject({ ok: false, stopped: 'memory', error: 'stopped: memory limit' });
  });

  it("refuses 'x' * 10**10 at once", async () => {
    const outcome = await py("'x' * 10**10");
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/OverflowError|MemoryError|memory limit/);
  });

  it('caps recursion even after sys.setrecursionlimit(10**6)', async () => {
    const outcome = await py('import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return f(n + 1)\nf(0)');
    expect(outcome).toMatchObject({ ok: false, error: 'RecursionError: maximum recursion depth exceeded (too much recursion)' });
  });

  it('stops a print loop at the output limit', async () => {
    const outcome = await py('while True:\n    print("x" * 10000)', { maxOutputBytes: 4096 });
    expect(outcome).toMatchObject({ ok: false, stopped: 'output', error: 'stopped: output limit (4096 bytes)' });
    expect(Buffer.byteLength(outcome.stdout)).toBeLessThanOrEqual(4096 + '\n[output truncated]'.length);
  });

  it('refuses code over the size limit without starting anything', async () => {
    expect((await py('x = 1\n'.repeat(5000))).error).toMatch(/too long/);
  });

  it('leaves the bot process unharmed', async () => {
    expect(await py('print("still here")')).toEqual({ ok: true, stdout: 'still here' });
  });
});

describe('Python network isolation', { timeout: SLOW }, () => {
  let server: CountingServer;

  beforeAll(async () => {
    server = await startCountingServer();
  });
  afterAll(() => server.close());

  it('cannot reach a local server through sockets, urllib, http.client or the package loader', async () => {
    const outcome = await py(`
import importlib
URL, PORT = ${JSON.stringify(server.url)}, ${server.port}
attempts = [
    lambda: importlib.import_module("socket").create_connection(("127.0.0.1", PORT)),
    lambda: importlib.import_module("urllib.request").urlopen(URL),
    lambda: importlib.import_module("http.client").HTTPConnection("127.0.0.1", PORT).request("GET", "/"),
    lambda: importlib.import_module("micropip").install(URL + "pkg.whl"),
    lambda: importlib.import_module("pyodide.http").open_url(URL),
]
errors = []
for attempt in attempts:
    try:
        attempt()
        errors.append("no error")
    except ImportError:
        errors.append("refused")
errors`);
    expect(outcome.result).toBe("['refused', 'refused', 'refused', 'refused', 'refused']");
    expect(server.requests()).toBe(0);
  });
});
