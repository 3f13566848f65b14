import { describe, expect, it } from 'vitest';
import { ThrottledEditor } from '../../../src/chat/discord/progress.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ThrottledEditor', () => {
  it('shows the first update at once, then at most one edit per interval with the latest text', async () => {
    const shown: string[] = [];
    const editor = new ThrottledEditor(async (t) => void shown.push(t), 80, () => {});
    editor.update('a');
    await sleep(10);
    editor.update('b');
    editor.update('c');
    await sleep(20);
    expect(shown).toEqual(['a']);
    await sleep(90);
    expect(shown).toEqual(['a', 'c']);
    await editor.stop();
  });

  it('never edits after stop, and stop waits for an edit in flight', async () => {
    const shown: string[] = [];
    let finished = false;
    const editor = new ThrottledEditor(async (t) => { shown.push(t); await sleep(40); finished = true; }, 30, () => {});
    editor.update('working');
    await sleep(5);
    editor.update('later');
    await editor.stop();
    expect(finished).toBe(true);
    await sleep(60);
    expect(shown).toEqual(['working']);
  });

  it('reports a failed edit instead of throwing', async () => {
    const errors: unknown[] = [];
    const editor = new ThrottledEditor(async () => { throw new Error('429'); }, 10, (e) => errors.push(e));
    editor.update('x');
    await sleep(5);
    await editor.stop();
    expect(errors).toHaveLength(1);
  });
});
