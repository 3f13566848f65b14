import { describe, expect, it } from 'vitest';
import { EMBED_LIMITS, embedLength, sourcesEmbed } from '../../../../src/chat/discord/render/sources-embed.js';
import type { Citation } from '../../../../src/core/answer.js';

const cite = (n: number, over: Partial<Citation> = {}): Citation => ({ n, title: `Doc ${n}`, source: `docs/${n}.md`, snippet: 's', chunkId: `c${n}`, ...over });

describe('sourcesEmbed', () => {
  it('is null when nothing is cited', () => {
    expect(sourcesEmbed([])).toBeNull();
  });

  it('links a title to its URL, else names the source path, in citation order', () => {
    const e = sourcesEmbed([cite(2), cite(1, { url: 'https://wiki.example.com/a' })])!;
    expect(e.description).toBe('**[1]** [Doc 1](https://wiki.example.com/a)\n**[2]** Doc 2 · `docs/2.md`');
  });

  it('keeps Markdown in titles and URLs from breaking the link, and refuses non-http links', () => {
    const e = sourcesEmbed([
      cite(1, { title: 'Setup [beta] *fast*', url: 'https://x.example/a_(b)' }),
      cite(2, { title: 'Script', url: 'javascript:alert(1)', source: 'a`b.md' }),
    ])!;
    const [first, second] = e.description!.split('\n');
    expect(first).toBe('**[1]** [Setup \\[beta\\] \\*fast\\*](https://x.example/a_%28b%29)');
    expect(second).toBe("**[2]** Script · `a'b.md`");
  });

  it('stays within Discord’s embed limits however many long citations there are', () => {
    const many = Array.from({ length: 300 }, (_, i) => cite(i + 1, { title: 'T'.repeat(500), url: `https://example.com/${'p'.repeat(300)}/${i}`, source: 'x'.repeat(400) }));
    const e = sourcesEmbed(many)!;
    expect(e.description!.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(embedLength(e)).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(EMBED_LIMITS.fields);
    const lines = e.description!.split('\n');
    const shown = lines.length - 1;
    expect(lines.at(-1)).toBe(`…and ${300 - shown} more`);
    expect(shown).toBeGreaterThan(5);
  });
});
