import { describe, expect, it } from 'vitest';
import { createRunCodeTool } from '../../../src/tools/sandbox/tool.js';

describe('run_code tool', () => {
  it('hands the caller\'s abort signal to the sandbox, so a cancelled answer stops the child at once', async () => {
    let seen: AbortSignal | undefined;
    const runCode = createRunCodeTool({ run: (_input, _limits, signal) => { seen = signal; return Promise.resolve({ ok: true, stdout: '', result: '1' }); } });
    const controller = new AbortController();
    await runCode.invoke({ language: 'javascript', code: '1' }, { signal: controller.signal });
    controller.abort();
    expect(seen?.aborted).toBe(true);
  });

  it('is named run_code and accepts only the configured languages', async () => {
    const run = () => Promise.resolve({ ok: true, stdout: '', result: '1' });
    const both = createRunCodeTool({ run });
    expect(both.name).toBe('run_code');
    expect(await both.invoke({ language: 'python', code: 'print(1)' })).toBe('result: 1');
    expect(both.description).toMatch(/python: CPython 3 with the standard library only/);
    const jsOnly = createRunCodeTool({ languages: ['javascript'], run });
    await expect(jsOnly.invoke({ language: 'python' as 'javascript', code: 'print(1)' })).rejects.toThrow(/did not match expected schema/);
    expect(jsOnly.description).not.toMatch(/python/i);
  });

  it('hands the question\'s attached files to the sandbox', async () => {
    let files: unknown;
    const runCode = createRunCodeTool({ run: (input) => { files = input.files; return Promise.resolve({ ok: true, stdout: '' }); } });
    await runCode.invoke({ language: 'python', code: 'open("/data/a.csv").read()' }, { configurable: { files: [{ name: 'a.csv', content: 'x\n1\n' }] } });
    expect(files).toEqual([{ name: 'a.csv', content: 'x\n1\n' }]);
  });

  it('runs code in the sandbox and reports stdout and result', async () => {
    const runCode = createRunCodeTool({ limits: { startupTimeoutMs: 60_000 } });
    expect(await runCode.invoke({ language: 'javascript', code: 'console.log("sum", 1 + 2); 6 * 7' })).toBe('stdout:\nsum 3\nresult: 42');
  });

  it('returns failures as text starting "Error:" with the output so far', async () => {
    const runCode = createRunCodeTool({
      run: () => Promise.resolve({ ok: false, stdout: 'partial', error: 'stopped: time limit', stopped: 'time' as const }),
    });
    expect(await runCode.invoke({ language: 'javascript', code: 'while(true){}' })).toBe('Error: stopped: time limit\nstdout:\npartial');
  });

  it('never throws when the runner does', async () => {
    const runCode = createRunCodeTool({ run: () => Promise.reject(new Error('spawn /usr/bin/node ENOENT')) });
    const text = await runCode.invoke({ language: 'javascript', code: '1' });
    expect(text).toBe('Error: the sandbox failed to run this code');
  });

  it('says when nothing was printed or returned', async () => {
    const runCode = createRunCodeTool({ run: () => Promise.resolve({ ok: true, stdout: '' }) });
    expect(await runCode.invoke({ language: 'javascript', code: 'let x = 1;' })).toMatch(/printed nothing/);
  });
});
