import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ThrottledEditor } from '../../../src/chat/shared/throttled-editor.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function editor(intervalMs = 1500, editMs = 0) {
  const edits: { value: string; at: number }[] = [];
  const errors: unknown[] = [];
  let running = 0;
  let overlapped = false;
  const e = new ThrottledEditor<string>(
    async (value) => {
      running += 1;
      if (running > 1) overlapped = true;
      if (editMs) await new Promise((r) => setTimeout(r, editMs));
      running -= 1;
      if (value === 'boom') throw new Error('edit failed');
      edits.push({ value, at: Date.now() });
    },
    intervalMs,
    (err) => errors.push(err),
  );
  return { e, edits, errors, overlapped: () => overlapped };
}

describe('ThrottledEditor', () => {
  it('sends at most one edit per interval, always the latest value', async () => {
    const { e, edits } = editor();
    const t0 = Date.now();
    for (let i = 0; i < 50; i += 1) {
      e.push(`v${i}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(2000);
    expect(edits.length).toBeGreaterThanOrEqual(3);
    expect(edits.length).toBeLessThanOrEqual(Math.ceil((5000 + 2000) / 1500));
    expect(edits[0]!.at - t0).toBeGreaterThanOrEqual(1500);
    for (let i = 1; i < edits.length; i += 1) expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(1500);
    expect(edits.at(-1)!.value).toBe('v49');
  });

  it('never runs two edits at once and sends nothing after close', async () => {
    const { e, edits, overlapped } = editor(100, 250);
    for (let i = 0; i < 10; i += 1) {
      e.push(`v${i}`);
      await vi.advanceTimersByTimeAsync(60);
    }
    const closing = e.close();
    await vi.advanceTimersByTimeAsync(1000);
    await closing;
    const count = edits.length;
    e.push('late');
    await vi.advanceTimersByTimeAsync(1000);
    expect(edits.length).toBe(count);
    expect(edits.map((x) => x.value)).not.toContain('late');
    expect(overlapped()).toBe(false);
  });

  it('reports a failed edit and keeps going', async () => {
    const { e, edits, errors } = editor(100);
    e.push('boom');
    await vi.advanceTimersByTimeAsync(150);
    e.push('after');
    await vi.advanceTimersByTimeAsync(150);
    expect(errors).toHaveLength(1);
    expect(edits.map((x) => x.value)).toEqual(['after']);
  });
});
