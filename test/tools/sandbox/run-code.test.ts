import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCode, type RunCodeLimits } from '../../../src/tools/sandbox/run-code.js';
import { startCountingServer, type CountingServer } from '../../helpers/counting-server.js';

// Each run starts a child process; from TypeScript sources that costs a second or more on a busy machine,
// so the limits leave generous room for start-up (which does not count against the time limit).
const limits: RunCodeLimits = { timeLimitMs: 1500, startupTimeoutMs: 60_000 };
const js = (code: string, extra: RunCodeLimits = {}) => runCode({ language: 'javascript', code }, { ...limits, ...extra });

const HOST_DETAILS = /\/work\/|node_modules|file:\/\/|\bat .*:\d+:\d+/;

describe('runCode', () => {
  it('captures console output and returns the last value', async () => {
    const outcome = await js('console.log("hi", 1 + 1, { a: [1] }); [1, 2, 3].map((x) => x * 2)');
    expect(outcome).toEqual({ ok: true, stdout: 'hi 2 {"a":[1]}', result: '[2,4,6]' });
  });

  it('settles a returned promise', async () => {
    expect(await js('Promise.resolve(41).then((x) => x + 1)')).toMatchObject({ ok: true, result: '42' });
  });

  it('stops an endless loop at the time limit without blocking the event loop', async () => {
    let ticks = 0;
    const interval = setInterval(() => { ticks += 1; }, 20);
    const started = Date.now();
    const outcome = await js('console.log("before"); while (true) {}', { timeLimitMs: 800 });
    clearInterval(interval);
    expect(outcome).toMatchObject({ ok: false, stopped: 'time', error: 'stopped: time limit', stdout: 'before' });
    expect(ticks).toBeGreaterThan((Date.now() - started) / 20 / 4);
  });

  it('kills a child that overruns the wall clock even if QuickJS does not stop itself', async () => {
    // The in-VM deadline is far away; only the parent's wall-clock kill can end this one.
    const outcome = await js('while (true) {}', { timeLimitMs: 60_000, wallTimeMs: 1000 });
    expect(outcome).toMatchObject({ ok: false, stopped: 'time', error: 'stopped: time limit' });
  });

  it.each([
    ['an array bomb', 'let a = []; while (true) a.push(new Array(1e6).fill(1));'],
    ['a string-chunk bomb (quickjs-emscripten #255)', 'const c = []; while (true) c.push("x".repeat(1024 * 1024) + Math.random());'],
    ['a typed-array bomb (quickjs-emscripten #271)', 'const k = []; while (true) k.push(new Uint8Array(512 * 1024));'],
  ])('stops %s at the memory limit', async (_name, code) => {
    const outcome = await js(code, { timeLimitMs: 20_000 });
    expect(outcome).toMatchObject({ ok: false, stopped: 'memory', error: 'stopped: memory limit' });
  });

  it('refuses a string-doubling bomb', async () => {
    const outcome = await js('let s = "x"; while (true) s += s;', { timeLimitMs: 20_000 });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/string too long|stopped: memory limit/);
  });

  it('reports deep recursion as an error', async () => {
    const outcome = await js('function f(n) { return f(n + 1) + 1 } f(0)');
    expect(outcome).toMatchObject({ ok: false });
    expect(outcome.error).toMatch(/Maximum call stack size exceeded|stack overflow/);
  });

  it('has no require, process, module loading or timers, and says so without host details', async () => {
    const outcome = await js('require("fs")');
    expect(outcome).toEqual({ ok: false, stdout: '', error: "ReferenceError: 'require' is not defined" });
    // One process for the rest: each attempt's error, in order.
    const probes = await js(`
      const errors = [];
      for (const attempt of [() => process.env, () => Deno.readFileSync("/etc/passwd"), () => setTimeout(() => 1, 1), () => std.open("/etc/passwd")]) {
        try { attempt(); errors.push("no error"); } catch (e) { errors.push(e.name + ": " + e.message); }
      }
      import("fs").then(() => errors.concat("fs loaded"), (e) => errors.concat(e.name + ": " + e.message));
    `);
    expect(JSON.parse(probes.result ?? '[]')).toEqual([
      "ReferenceError: 'process' is not defined",
      "ReferenceError: 'Deno' is not defined",
      "ReferenceError: 'setTimeout' is not defined",
      "ReferenceError: 'std' is not defined",
      "ReferenceError: could not load module 'fs'",
    ]);
    expect(probes.result).not.toMatch(HOST_DETAILS);
  });

  it('exposes only ECMAScript built-ins and the console shim on globalThis', async () => {
    const outcome = await js('Object.getOwnPropertyNames(globalThis)');
    const names = JSON.parse(outcome.result ?? '[]') as string[];
    expect(names).toContain('console');
    for (const host of ['process', 'require', 'module', 'fetch', 'Buffer', 'setTimeout', 'std', 'os', 'emit', 'WebAssembly']) {
      expect(names).not.toContain(host);
    }
  });

  it('reports a syntax error as name and message only', async () => {
    const outcome = await js('let x = ;');
    expect(outcome).toEqual({ ok: false, stdout: '', error: "SyntaxError: unexpected token in expression: ';'" });
  });

  it('reports a thrown error without any stack', async () => {
    const outcome = await js('function inner() { throw new TypeError("bad input") } inner()');
    expect(outcome).toEqual({ ok: false, stdout: '', error: 'TypeError: bad input' });
  });

  it('caps output', async () => {
    const outcome = await js('for (let i = 0; i < 5000; i++) console.log("line " + i); "done"', { maxOutputBytes: 1024, timeLimitMs: 10_000 });
    expect(outcome.ok).toBe(true);
    expect(Buffer.byteLength(outcome.stdout)).toBeLessThanOrEqual(1024 + '\n[output truncated]'.length);
    expect(outcome.stdout).toMatch(/\[output truncated\]$/);
    expect(outcome.result).toBe('done');
  });

  it('caps a huge result and a huge console.log argument', async () => {
    const outcome = await js('console.log("y".repeat(1e6)); "x".repeat(1e6)', { maxOutputBytes: 2048 });
    expect(outcome.ok).toBe(true);
    expect(outcome.result?.length).toBeLessThanOrEqual(2048);
    expect(outcome.stdout.length).toBeLessThanOrEqual(2048 + '\n[output truncated]'.length);
  });

  it('refuses other languages and empty or oversized code without starting a process', async () => {
    expect(await runCode({ language: 'ruby' as 'javascript', code: 'puts 1' })).toMatchObject({ ok: false, error: 'ruby cannot be run; use javascript or python' });
    expect(await runCode({ language: 'javascript', code: '  ' })).toMatchObject({ ok: false, error: 'there is no code to run' });
    expect((await runCode({ language: 'javascript', code: 'x'.repeat(20_001) })).error).toMatch(/too long/);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const pending = runCode({ language: 'javascript', code: 'while (true) {}' }, { ...limits, timeLimitMs: 60_000, wallTimeMs: 60_000 }, controller.signal);
    setTimeout(() => controller.abort(), 300);
    expect(await pending).toMatchObject({ ok: false, error: 'stopped: cancelled' });
  });
});

describe('runCode network isolation', () => {
  let server: CountingServer;

  beforeAll(async () => {
    server = await startCountingServer();
  });
  afterAll(() => server.close());

  it('cannot reach a local server by any means', async () => {
    const url = server.url;
    const outcome = await js(`
      const errors = [];
      for (const attempt of [() => fetch(${JSON.stringify(url)}), () => new XMLHttpRequest(), () => new WebSocket(${JSON.stringify(url.replace('http', 'ws'))})]) {
        try { attempt(); errors.push("no error"); } catch (e) { errors.push(e.name); }
      }
      import(${JSON.stringify(url)}).then(() => errors.concat("module loaded"), (e) => errors.concat(e.name));
    `);
    expect(JSON.parse(outcome.result ?? '[]')).toEqual(['ReferenceError', 'ReferenceError', 'ReferenceError', 'ReferenceError']);
    expect(server.requests()).toBe(0);
  });
});
