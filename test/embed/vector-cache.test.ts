import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_FILE, textHash, VectorCache } from '../../src/embed/vector-cache.js';

describe('VectorCache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cairn-vector-cache-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores Float32 vectors exactly and returns them in the order asked, with gaps for misses', () => {
    const cache = new VectorCache(path.join(dir, 'nested', 'data'));
    const v1 = Float32Array.from([0.1, -0.2, 0.3]);
    const v2 = Float32Array.from([1e-8, 2.5, -3]);
    cache.putMany('e@1', [
      { hash: textHash('one'), vector: v1 },
      { hash: textHash('two'), vector: v2 },
    ]);

    const got = cache.getMany('e@1', 3, [textHash('two'), textHash('missing'), textHash('one')]);
    expect(got.map((v) => (v ? Array.from(v) : undefined))).toEqual([Array.from(v2), undefined, Array.from(v1)]);
    cache.close();
  });

  it('treats a vector of another size as a miss', () => {
    const cache = new VectorCache(dir);
    cache.putMany('e@1', [{ hash: textHash('one'), vector: new Float32Array(4) }]);
    expect(cache.getMany('e@1', 8, [textHash('one')])).toEqual([undefined]);
    cache.close();
  });

  it('keeps its file in the data directory in WAL mode', () => {
    new VectorCache(dir).close();
    const db = new Database(path.join(dir, CACHE_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('hashes the exact text, whitespace included', () => {
    expect(textHash('a b')).not.toBe(textHash('a  b'));
    expect(textHash('a b')).toMatch(/^[0-9a-f]{64}$/);
  });
});
