import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../../src/chat/shared/split.js';

function fencesBalanced(part: string): boolean {
  return (part.match(/^\s*```/gm) ?? []).length % 2 === 0;
}

describe('splitMessage', () => {
  it('returns a short message unchanged', () => {
    expect(splitMessage('Hello [1].', 100)).toEqual(['Hello [1].']);
  });

  it('keeps every part under the limit and loses no words', () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`);
    const parts = splitMessage(words.join(' '), 200);
    expect(parts.length).toBeGreaterThan(10);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(200);
    expect(parts.join(' ').split(/\s+/)).toEqual(words);
  });

  it('prefers paragraph boundaries', () => {
    const a = 'A'.repeat(60);
    const b = 'B'.repeat(60);
    expect(splitMessage(`${a}\n\n${b}`, 100)).toEqual([a, b]);
  });

  it('closes and reopens a code block cut across parts, keeping its language', () => {
    const code = Array.from({ length: 60 }, (_, i) => `const v${i} = ${i};`).join('\n');
    const text = `Here is the code [1]:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone [2].`;
    const parts = splitMessage(text, 300);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(300);
      expect(fencesBalanced(p)).toBe(true);
    }
    expect(parts[1]!.startsWith('```ts\n')).toBe(true);
    const body = parts.join('\n').replace(/```(ts)?\n?/g, '');
    for (let i = 0; i < 60; i += 1) expect(body).toContain(`const v${i} = ${i};`);
  });

  it('never cuts a citation marker in two', () => {
    const text = `${'x'.repeat(95)} [12] tail`;
    const parts = splitMessage(`${text} ${text}`, 100);
    for (const p of parts) expect(p).not.toMatch(/\[\d*$|^\d*\]/);
    expect(parts.join(' ').match(/\[12\]/g)).toHaveLength(2);
  });
});
