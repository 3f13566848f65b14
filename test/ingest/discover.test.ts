import { symlink } from 'node:fs/promises';
import path from 'node:path';
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

describe('discover with symbolic links', () => {
  let s: Awaited<ReturnType<typeof scratch>>;
  beforeAll(async () => {
    s = await scratch();
    await s.write({ 'docs/a.md': 'a', 'docs/sub/b.md': 'b', 'shared/c.md': 'c', 'x/y.md': 'y', 'z/w.md': 'w' });
    await symlink('..', path.join(s.dir, 'docs/sub/up'));
    await symlink('self', path.join(s.dir, 'docs/self'));
    await symlink('../shared', path.join(s.dir, 'docs/shared'));
    await symlink('../shared/c.md', path.join(s.dir, 'docs/c-link.md'));
    // Two links that loop only together.
    await symlink('../z', path.join(s.dir, 'x/to-z'));
    await symlink('../x', path.join(s.dir, 'z/to-x'));
  });
  afterAll(async () => s.cleanup());

  it('follows links to folders and files elsewhere, and reports each loop by name instead of walking it', async () => {
    const found = await discover(['docs'], { cwd: s.dir });
    expect(found.files.map((f) => f.source)).toEqual(['docs/a.md', 'docs/c-link.md', 'docs/shared/c.md', 'docs/sub/b.md']);
    expect(found.failures.map((f) => [f.source, f.reason]).sort()).toEqual([
      ['docs/self', 'symlink_loop'],
      ['docs/sub/up', 'symlink_loop'],
    ]);
    const up = found.failures.find((f) => f.source === 'docs/sub/up')!;
    expect(up.detail).toBe(`symbolic link to ${path.join(s.dir, 'docs')}, a folder it is already inside; not followed`);
  });

  it('catches a loop made of two links', async () => {
    const found = await discover(['x'], { cwd: s.dir });
    expect(found.files.map((f) => f.source)).toEqual(['x/to-z/w.md', 'x/y.md']);
    expect(found.failures.map((f) => [f.source, f.reason])).toEqual([['x/to-z/to-x', 'symlink_loop']]);
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
