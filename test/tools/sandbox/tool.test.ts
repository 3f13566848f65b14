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

  it('is named run_code and accepts JavaScript only', async () => {
    const runCode = createRunCodeTool({ run: () => Promise.resolve({ ok: true, stdout: '', result: '1' }) });
    expect(runCode.name).toBe('run_code');
    await expect(runCode.invoke({ language: 'python' as 'javascript', code: 'print(1)' })).rejects.toThrow(/did not match expected schema/);
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
