import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover, isUnderRoot, normaliseSource } from '../../src/ingest/discover.js';
import { scratch } from './helpers/tree.js';

describe('discover', () => {
  let s: Awaited<ReturnType<typeof scratch>>;
  beforeAll(async () => {
    s = await scratch();
    await s.write({
      'docs/b.md': 'b',
      'docs/a.md': 'a',
      'docs/Z.html': 'z',
      'docs/sub/c.pdf': 'c',
      'docs/sub/d.jsonl': 'd',
      'docs/drafts/e.md': 'e',
      'docs/node_modules/pkg/readme.md': 'x',
      'docs/.git/notes.md': 'x',
      'docs/.hidden.md': 'x',
      'docs/image.png': 'x',
      'docs/notes.txt': 'x',
      'single.markdown': 's',
      'logo.svg': 'x',
    });
  });
  afterAll(async () => s.cleanup());

  const sources = async (paths: string[], opts: { include?: string[]; exclude?: string[] } = {}) => (await discover(paths, { cwd: s.dir, ...opts })).files.map((f) => f.source);

  it('finds supported files in a stable order, skipping dotfiles, .git and node_modules', async () => {
    expect(await sources(['docs'])).toEqual(['docs/Z.html', 'docs/a.md', 'docs/b.md', 'docs/drafts/e.md', 'docs/notes.txt', 'docs/sub/c.pdf', 'docs/sub/d.jsonl']);
  });

  it('applies include and exclude globs; a pattern without a slash matches at any depth', async () => {
    expect(await sources(['docs'], { include: ['*.md'] })).toEqual(['docs/a.md', 'docs/b.md', 'docs/drafts/e.md']);
    expect(await sources(['docs'], { exclude: ['drafts', 'sub/**', '*.txt'] })).toEqual(['docs/Z.html', 'docs/a.md', 'docs/b.md']);
  });

  it('keeps the path as the user gave it, with forward slashes, and reports what it cannot use', async () => {
    const found = await discover(['./docs/', 'single.markdown', 'logo.svg', 'nope'], { cwd: s.dir, include: ['a.md'] });
    expect(found.files.map((f) => [f.source, f.format])).toEqual([
      ['docs/a.md', 'markdown'],
      ['single.markdown', 'markdown'],
    ]);
    expect(found.roots).toEqual([
      { source: 'docs', kind: 'dir' },
      { source: 'single.markdown', kind: 'file' },
      { source: 'logo.svg', kind: 'file' },
    ]);
    expect(found.failures.map((f) => [f.source, f.reason])).toEqual([
      ['logo.svg', 'unsupported'],
      ['nope', 'not_found'],
    ]);
  });

  it('lists a file named twice only once', async () => {
    expect(await sources(['docs/a.md', 'docs', 'docs/a.md'], { include: ['a.md'] })).toEqual(['docs/a.md']);
  });
});

describe('normaliseSource and isUnderRoot', () => {
  it('normalises sources', () => {
    expect(normaliseSource('./docs/', 'x/y.md')).toBe('docs/x/y.md');
    expect(normaliseSource('..\\shared\\docs', 'a.md')).toBe('../shared/docs/a.md');
    expect(normaliseSource('.', 'a.md')).toBe('a.md');
    expect(normaliseSource('/abs/docs/')).toBe('/abs/docs');
  });

  it('matches a folder at path boundaries, a file and its JSONL lines', () => {
    const dir = { source: 'docs', kind: 'dir' as const };
    expect(isUnderRoot('docs/a.md', dir)).toBe(true);
    expect(isUnderRoot('docs-old/a.md', dir)).toBe(false);
    expect(isUnderRoot('docs/kb.jsonl#k1', dir)).toBe(true);
    const file = { source: 'kb.jsonl', kind: 'file' as const };
    expect(isUnderRoot('kb.jsonl#k1', file)).toBe(true);
    expect(isUnderRoot('kb.jsonl2#k1', file)).toBe(false);
    const here = { source: '.', kind: 'dir' as const };
    expect(isUnderRoot('docs/a.md', here)).toBe(true);
    expect(isUnderRoot('../other/a.md', here)).toBe(false);
    expect(isUnderRoot('/abs/a.md', here)).toBe(false);
  });
});
