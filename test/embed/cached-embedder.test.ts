import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/core/embedder.js';
import { CachedEmbedder } from '../../src/embed/cached-embedder.js';
import { VectorCache } from '../../src/embed/vector-cache.js';

/** Counts what it is asked to embed; vectors depend on the text and on `salt`, so ids can be told apart. */
class CountingEmbedder implements Embedder {
  readonly dimensions = 4;
  readonly embedded: string[] = [];
  queryCalls = 0;
  closed = false;

  constructor(
    readonly id: string,
    private readonly salt = 0,
  ) {}

  async embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]> {
    this.embedded.push(...texts);
    const vectors = texts.map((t) => this.vector(t));
    onProgress?.(texts.length, texts.length);
    return vectors;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    this.queryCalls++;
    return this.vector(text);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  vector(text: string): Float32Array {
    return Float32Array.from([text.length, text.charCodeAt(0) || 0, this.salt, 1]);
  }
}

describe('CachedEmbedder with the SQLite vector cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cairn-embed-cache-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('embeds only texts it has not seen, keeping input order, and counts cached ones as progress', async () => {
    const inner = new CountingEmbedder('fake@1');
    const embedder = new CachedEmbedder(inner, new VectorCache(dir));
    await embedder.embedDocuments(['alpha', 'beta']);

    const progress: number[] = [];
    const vectors = await embedder.embedDocuments(['beta', 'gamma', 'alpha', 'gamma'], (done) => progress.push(done));

    expect(inner.embedded).toEqual(['alpha', 'beta', 'gamma']);
    expect(vectors.map((v) => Array.from(v))).toEqual(['beta', 'gamma', 'alpha', 'gamma'].map((t) => Array.from(inner.vector(t))));
    expect(progress[0]).toBe(2);
    expect(progress.at(-1)).toBe(4);
    await embedder.close();
    expect(inner.closed).toBe(true);
  });

  it('embeds nothing on a second run, even after the cache file is closed and reopened', async () => {
    const texts = Array.from({ length: 30 }, (_, i) => `chunk number ${i}`);
    const first = new CountingEmbedder('fake@1');
    const original = new CachedEmbedder(first, new VectorCache(dir), { flushEvery: 7 });
    const before = await original.embedDocuments(texts);
    expect(first.embedded).toHaveLength(30);
    await original.close();

    const second = new CountingEmbedder('fake@1');
    const reopened = new CachedEmbedder(second, new VectorCache(dir));
    const after = await reopened.embedDocuments(texts);
    expect(second.embedded).toEqual([]);
    expect(after.map((v) => Array.from(v))).toEqual(before.map((v) => Array.from(v)));
    await reopened.close();
  });

  it('keeps vectors of different embedder ids apart', async () => {
    const cache = new VectorCache(dir);
    const a = new CountingEmbedder('model-a@1', 1);
    const b = new CountingEmbedder('model-b@1', 2);
    const [fromA] = await new CachedEmbedder(a, cache).embedDocuments(['same text']);
    const [fromB] = await new CachedEmbedder(b, cache).embedDocuments(['same text']);

    expect(b.embedded).toEqual(['same text']);
    expect(fromA?.[2]).toBe(1);
    expect(fromB?.[2]).toBe(2);
    cache.close();
  });

  it('saves each finished slice, so a failure mid-way does not lose the work done', async () => {
    class FailsOnSecondCall extends CountingEmbedder {
      private calls = 0;
      override async embedDocuments(texts: string[]): Promise<Float32Array[]> {
        if (++this.calls === 2) throw new Error('service went away');
        return super.embedDocuments(texts);
      }
    }
    const texts = ['a1', 'a2', 'b1', 'b2'];
    const failing = new CachedEmbedder(new FailsOnSecondCall('fake@1'), new VectorCache(dir), { flushEvery: 2 });
    await expect(failing.embedDocuments(texts)).rejects.toThrow('service went away');
    await failing.close();

    const retry = new CountingEmbedder('fake@1');
    const again = new CachedEmbedder(retry, new VectorCache(dir), { flushEvery: 2 });
    await again.embedDocuments(texts);
    expect(retry.embedded).toEqual(['b1', 'b2']);
    await again.close();
  });

  it('answers a repeated query from memory with a copy the caller may change', async () => {
    const inner = new CountingEmbedder('fake@1');
    const embedder = new CachedEmbedder(inner, new VectorCache(dir));
    const first = await embedder.embedQuery('how do I ack?');
    first[0] = 999;
    const second = await embedder.embedQuery('how do I ack?');

    expect(inner.queryCalls).toBe(1);
    expect(second[0]).toBe('how do I ack?'.length);
    await embedder.close();
  });
});
