import { describe, expect, it } from 'vitest';
import { firstHeading, parseFrontMatter, scanMarkdown } from '../../src/ingest/markdown.js';

describe('parseFrontMatter', () => {
  it('reads top-level keys, unquotes values and strips the block (LF or CRLF)', () => {
    for (const nl of ['\n', '\r\n']) {
      const { fields, body } = parseFrontMatter(['---', 'title: "Q&A: leave"', "access_group: 'hr'", 'tags:', '  - a', '---', 'Body'].join(nl));
      expect(fields).toEqual({ title: 'Q&A: leave', access_group: 'hr' });
      expect(body).toBe('Body');
    }
  });

  it('leaves text without a closed front-matter block alone', () => {
    expect(parseFrontMatter('---\ntitle: x\nno closing line')).toEqual({ fields: {}, body: '---\ntitle: x\nno closing line' });
    expect(parseFrontMatter('Intro\n---\ntitle: x\n---\n').fields).toEqual({});
  });
});

describe('scanMarkdown', () => {
  it('tracks backtick and tilde fences, including a longer closing fence', () => {
    const lines = scanMarkdown(['~~~~', '# in code', '~~~~~', '# Real', '``` `not a fence`', '## Also real'].join('\n'));
    expect(lines.map((l) => l.fence)).toEqual(['open', 'inside', 'close', 'none', 'none', 'none']);
    expect(lines.filter((l) => l.heading).map((l) => l.heading)).toEqual([
      { level: 1, text: 'Real' },
      { level: 2, text: 'Also real' },
    ]);
  });

  it('needs a space after the hashes and finds the first heading of a level', () => {
    const lines = scanMarkdown('#hashtag\n####### seven\n## Second\n# First');
    expect(lines.filter((l) => l.heading)).toHaveLength(2);
    expect(firstHeading(lines, 1)).toBe('First');
  });
});
