import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_HNSW, GroupGraph } from '../../../src/retrieval/embedded/group-graph.js';
import type { GroupEntry } from '../../../src/retrieval/embedded/snapshot.js';
import { unitVector } from './fixtures.js';

const DIMS = 16;
const N = 400;
const vectorOf = (key: number) => unitVector(key, DIMS);
const keys = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** The exact nearest keys among `live`, by cosine similarity (the vectors are unit length). */
function exactNearest(query: Float32Array, live: number[], k: number): number[] {
  const dot = (v: Float32Array) => v.reduce((s, x, i) => s + x * query[i]!, 0);
  return [...live].sort((a, b) => dot(vectorOf(b)) - dot(vectorOf(a))).slice(0, k);
}

function matrix(ks: number[]): Float32Array {
  const m = new Float32Array(ks.length * DIMS);
  ks.forEach((k, i) => m.set(vectorOf(k), i * DIMS));
  return m;
}

const storedVectors = (rowids: number[]) => new Map(rowids.map((r) => [r, vectorOf(r)]));

describe('a group graph served from a memory-mapped snapshot file', () => {
  let dir = '';
  let file = '';
  let entry: GroupEntry;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-group-graph-'));
    file = path.join(dir, 'g.usearch');
    const built = GroupGraph.create(DIMS, DEFAULT_HNSW);
    built.add(keys(1, N).map(BigInt), matrix(keys(1, N)), 0);
    built.save(file);
    entry = { group: 'public', file: 'g.usearch', bytes: fs.statSync(file).size, sha256: '0'.repeat(64), vectors: N, tombstones: 0 };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers from the file, and refuses a file that does not hold what the manifest says', () => {
    const graph = GroupGraph.view(file, entry, DIMS, DEFAULT_HNSW);
    expect(graph.isMapped).toBe(true);
    expect(graph.size).toBe(N);
    const query = vectorOf(77);
    expect(graph.search(query, 1)[0]).toMatchObject({ id: 77 });
    expect(graph.search(query, 5).map((h) => h.id)).toEqual(exactNearest(query, keys(1, N), 5));
    expect(() => GroupGraph.view(file, { ...entry, vectors: N + 1 }, DIMS, DEFAULT_HNSW)).toThrow(/manifest says 401/);
  });

  it('takes removals and additions, which the file cannot: removed keys never come back, added ones are found', () => {
    const graph = GroupGraph.view(file, entry, DIMS, DEFAULT_HNSW);
    const query = vectorOf(10);
    const nearest = exactNearest(query, keys(1, N), 40);
    // Remove 30 of the 40 nearest: a search for 10 must look past them and still return 10.
    const removed = nearest.slice(0, 30);
    for (const key of removed) expect(graph.remove(key)).toBe(true);
    expect(graph.remove(removed[0]!)).toBe(false);
    expect(graph.remove(99_999)).toBe(false);
    graph.add([BigInt(5000)], matrix([5000]), 1);

    const live = [...keys(1, N).filter((k) => !removed.includes(k)), 5000];
    expect(graph.size).toBe(live.length);
    expect(graph.tombstones).toBe(30);
    expect(graph.contains([BigInt(removed[0]!), BigInt(nearest[35]!), 5000n, 99_999n])).toEqual([false, true, true, false]);
    const found = graph.search(query, 10).map((h) => h.id);
    expect(found).toHaveLength(10);
    expect(found.filter((id) => removed.includes(id))).toEqual([]);
    expect(graph.search(vectorOf(5000), 1)[0]).toMatchObject({ id: 5000 });
    // Added and then removed again: gone from the overlay too.
    expect(graph.remove(5000)).toBe(true);
    expect(graph.search(vectorOf(5000), 3).map((h) => h.id)).not.toContain(5000);
  });

  it('saves the file with its changes folded in, then serves and takes writes from memory, even once the file is deleted', () => {
    const graph = GroupGraph.view(file, entry, DIMS, DEFAULT_HNSW);
    for (const key of keys(1, 50)) graph.remove(key);
    graph.add(keys(1000, 20).map(BigInt), matrix(keys(1000, 20)), 0);
    // Snapshot files are deleted when superseded, while a process may still map them.
    fs.rmSync(file);
    const out = path.join(dir, 'saved.usearch');
    expect(() => graph.save(out)).toThrow(/needs the stored vectors/);
    graph.save(out, storedVectors);

    expect(graph.isMapped).toBe(false);
    // usearch fills the 50 removed slots with the 20 added vectors first.
    expect(graph.tombstones).toBe(30);
    const reloaded = new Index({ dimensions: DIMS, metric: MetricKind.Cos, quantization: ScalarKind.F32, connectivity: 16, expansion_add: 128, expansion_search: 64, multi: false });
    reloaded.load(out);
    expect(reloaded.size()).toBe(N - 50 + 20);
    expect(reloaded.contains([1n, 51n, 1000n, 1019n])).toEqual([false, true, true, true]);

    graph.add([BigInt(7000)], matrix([7000]), 1);
    expect(graph.size).toBe(N - 50 + 21);
    expect(graph.search(vectorOf(7000), 1)[0]).toMatchObject({ id: 7000 });
    expect(graph.search(vectorOf(1010), 1)[0]).toMatchObject({ id: 1010 });
  });

  it('saves an unchanged mapped graph as it is, still mapped', () => {
    const graph = GroupGraph.view(file, entry, DIMS, DEFAULT_HNSW);
    const out = path.join(dir, 'copy.usearch');
    graph.save(out);
    expect(graph.isMapped).toBe(true);
    const again = GroupGraph.view(out, entry, DIMS, DEFAULT_HNSW);
    expect(again.search(vectorOf(3), 3).map((h) => h.id)).toEqual(graph.search(vectorOf(3), 3).map((h) => h.id));
  });
});
