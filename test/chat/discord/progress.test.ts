import { describe, expect, it } from 'vitest';
import { progressEditor } from '../../../src/chat/discord/progress.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('Discord progress editor', () => {
  it('shows the first update at once, then at most one edit per interval with the latest text', async () => {
    const shown: string[] = [];
    const editor = progressEditor(async (t) => void shown.push(t), 80, () => {});
    editor.push('a');
    await sleep(10);
    editor.push('b');
    editor.push('c');
    await sleep(20);
    expect(shown).toEqual(['a']);
    await sleep(90);
    expect(shown).toEqual(['a', 'c']);
    await editor.close();
  });

  it('never edits after stop, and stop waits for an edit in flight', async () => {
    const shown: string[] = [];
    let finished = false;
    const editor = progressEditor(async (t) => { shown.push(t); await sleep(40); finished = true; }, 30, () => {});
    editor.push('working');
    await sleep(5);
    editor.push('later');
    await editor.close();
    expect(finished).toBe(true);
    await sleep(60);
    expect(shown).toEqual(['working']);
  });

  it('skips an edit that would not change the text', async () => {
    const shown: string[] = [];
    const editor = progressEditor(async (t) => void shown.push(t), 10, () => {});
    editor.push('same');
    await sleep(20);
    editor.push('same');
    await sleep(20);
    await editor.close();
    expect(shown).toEqual(['same']);
  });

  it('reports a failed edit instead of throwing', async () => {
    const errors: unknown[] = [];
    const editor = progressEditor(async () => { throw new Error('429'); }, 10, (e) => errors.push(e));
    editor.push('x');
    await sleep(5);
    await editor.close();
    expect(errors).toHaveLength(1);
  });
});
