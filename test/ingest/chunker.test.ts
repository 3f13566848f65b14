import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GroupedDocument, SourceDocument } from '../../src/core/documents.js';
import { chunkDocument, splitSections } from '../../src/ingest/chunker.js';
import { buildDocument } from '../../src/ingest/loaders/document.js';

const SETTINGS = { chunkSize: 300, chunkOverlap: 80 };

function doc(text: string, format: SourceDocument['format'] = 'markdown', title = 'Guide'): GroupedDocument {
  return { ...buildDocument({ id: 'docs/guide.md', source: 'docs/guide.md', title, text, format }, SETTINGS), accessGroup: 'public' };
}

const fenceLines = (text: string) => text.split('\n').filter((l) => /^ {0,3}(```|~~~)/.test(l)).length;

describe('splitSections', () => {
  it('tracks the heading path, skips a title H1 and ignores headings inside code fences', () => {
    const md = [
      '# Guide',
      'Intro text.',
      '## Listening to events',
      'Use app.event().',
      '### Filtering',
      'Filter by subtype.',
      '```bash',
      '# a shell comment, not a heading',
      'echo hi',
      '```',
      '## Other',
      'More.',
      '# Appendix',
      'End.',
    ].join('\n');
    const sections = splitSections(md, 'Guide', 1000);
    expect(sections.map((s) => s.headingPath)).toEqual([[], ['Listening to events'], ['Listening to events', 'Filtering'], ['Other'], ['Appendix']]);
    expect(sections[2]!.text).toContain('# a shell comment, not a heading');
    expect(sections.map((s) => s.text).join('\n')).not.toMatch(/^#+ (Guide|Listening|Filtering|Other|Appendix)/m);
  });

  it('reads closing hashes and links out of heading text', () => {
    const sections = splitSections('## Using [ack()](./ack.md) ##\nBody.', 'T', 1000);
    expect(sections[0]!.headingPath).toEqual(['Using ack()']);
  });
});

describe('chunkDocument', () => {
  const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} says ${'something useful '.repeat(1 + (i % 7))}.`);

  it('keeps every chunk within the chunk size and loses no text', async () => {
    const chunks = await chunkDocument(doc(`## Long section\n\n${paragraphs.join('\n\n')}`), SETTINGS);
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(SETTINGS.chunkSize);
    const all = chunks.map((c) => c.text).join('\n');
    for (const p of paragraphs) expect(all).toContain(p.trim());
  });

  it('puts the table header in front of every chunk that starts inside the table', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `| \`option${i}\` | What option ${i} does, in a few words. |`);
    const table = ['| Option | Description |', '| --- | :--- |', ...rows].join('\n');
    const chunks = await chunkDocument(doc(`## Options\n\nThe options:\n\n${table}\n\nAfter the table.`), SETTINGS);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      const lines = c.text.split('\n').filter((l) => l.trim());
      if (!lines[0]!.startsWith('|')) continue;
      expect(lines.slice(0, 2), `chunk ${c.chunkIndex}`).toEqual(['| Option | Description |', '| --- | :--- |']);
    }
    const all = chunks.map((c) => c.text).join('\n');
    for (const row of rows) expect(all).toContain(row);
    expect(chunks.filter((c) => c.text.includes('| Option | Description |')).length).toBeGreaterThan(1);
  });

  it('carries overlap from one chunk into the next', async () => {
    const short = Array.from({ length: 40 }, (_, i) => `Short line number ${i}.`).join('\n');
    const chunks = await chunkDocument(doc(short, 'text'), SETTINGS);
    expect(chunks.length).toBeGreaterThan(2);
    for (let i = 1; i < chunks.length; i++) {
      const firstLine = chunks[i]!.text.split('\n')[0]!;
      expect(chunks[i - 1]!.text, `chunk ${i} should start with text from chunk ${i - 1}`).toContain(firstLine);
    }
    const shared = chunks[1]!.text.split('\n').filter((l) => chunks[0]!.text.includes(l)).join('\n');
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.length).toBeLessThanOrEqual(SETTINGS.chunkOverlap);
  });

  it('never cuts inside a code fence that fits in one chunk, even one with blank lines', async () => {
    const fence = ['```js', 'const a = 1;', '', 'const b = 2;', '', 'function add(x, y) {', '  return x + y;', '}', '', 'add(a, b);', '```'].join('\n');
    const around = paragraphs.slice(0, 6);
    const md = `## Code\n\n${around.slice(0, 3).join('\n\n')}\n\n${fence}\n\n${around.slice(3).join('\n\n')}`;
    for (const chunkSize of [160, 200, 260, 300]) {
      const chunks = await chunkDocument(doc(md), { chunkSize, chunkOverlap: 40 });
      expect(chunks.some((c) => c.text.includes(fence)), `size ${chunkSize}`).toBe(true);
      for (const c of chunks) expect(fenceLines(c.text) % 2, `size ${chunkSize}: ${c.text}`).toBe(0);
    }
  });

  it('splits a fence larger than a chunk on lines rather than dropping any of it', async () => {
    const body = Array.from({ length: 40 }, (_, i) => `console.log("line ${i}");`);
    const chunks = await chunkDocument(doc(['## Big', '```js', ...body, '```'].join('\n')), SETTINGS);
    expect(chunks.length).toBeGreaterThan(1);
    const all = chunks.map((c) => c.text).join('\n');
    for (const line of body) expect(all).toContain(line);
    expect(all).not.toContain('\uE000');
  });

  it('numbers chunks, counts them, hashes their text and copies the document fields', async () => {
    const d = { ...doc(`Intro.\n\n## A\n\n${paragraphs.slice(0, 8).join('\n\n')}\n\n## Empty\n\n   \n\n## B\n\nLast words.`), url: 'https://example.com/guide' };
    const chunks = await chunkDocument(d, SETTINGS);
    expect(chunks.map((c) => c.chunkIndex)).toEqual(chunks.map((_, i) => i));
    for (const c of chunks) {
      expect(c).toMatchObject({ id: `docs/guide.md#${c.chunkIndex}`, docId: 'docs/guide.md', source: 'docs/guide.md', url: 'https://example.com/guide', title: 'Guide', accessGroup: 'public', totalChunks: chunks.length });
      expect(c.contentHash).toBe(createHash('sha256').update(c.text).digest('hex'));
      expect(c.text.trim().length).toBeGreaterThan(0);
    }
    expect(chunks.some((c) => c.headingPath[0] === 'Empty')).toBe(false);
    expect(chunks.at(-1)).toMatchObject({ headingPath: ['B'], text: 'Last words.' });
  });

  it('treats plain text as text: a line starting with # is not a heading', async () => {
    const chunks = await chunkDocument(doc('# not a heading in a .txt file\nplain words', 'text'), SETTINGS);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ headingPath: [], text: '# not a heading in a .txt file\nplain words' });
  });

  it('returns no chunks for a document of headings only', async () => {
    expect(await chunkDocument(doc('# Guide\n\n## Nothing\n\n### Here'), SETTINGS)).toEqual([]);
  });
});
