import { describe, expect, it } from 'vitest';
import { progressText, reindexText } from '../../../../src/chat/discord/render/progress-text.js';

describe('progress text', () => {
  it('describes steps and keeps a long draft preview under the message limit', () => {
    expect(progressText({ kind: 'status', step: 'retrieving' })).toBe('🔎 Searching the docs…');
    expect(progressText({ kind: 'status', step: 'tool', detail: 'calculator' })).toBe('🛠️ Using calculator…');
    expect(progressText({ kind: 'draft', text: 'x'.repeat(5000) }).length).toBeLessThanOrEqual(2000);
  });

  it('keeps the re-index message under 2,000 characters, latest lines first to go in', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `indexed file-${i}.md`);
    const text = reindexText(undefined, lines);
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).toMatch(/^🔄 Re-indexing all sources…/);
    expect(text).toContain('indexed file-499.md');
    expect(text).not.toContain('indexed file-0.md\n');
    expect(reindexText('a.md', [], { ok: false, text: 'disk full' })).toBe('❌ Re-indexing `a.md` failed: disk full');
  });
});
