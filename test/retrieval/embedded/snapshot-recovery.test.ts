import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchHit } from '../../../src/core/search.js';
import { openEmbeddedStore, type EmbeddedStore, type EmbeddedStoreOptions } from '../../../src/retrieval/embedded/index.js';
import { EMBEDDER, fixtureDoc, rng, unitVector } from './fixtures.js';
import { capturingLogger, indexFiles, manyChunkDoc } from './helpers.js';

/**
 * A damaged or inconsistent HNSW snapshot must never crash the process or serve wrong results:
 * it is detected before usearch loads it, or right after, and rebuilt from SQLite (issue 18 item 3,
 * issue 10 item 14). Tombstones left by removals are compacted instead of being saved.
 */

const silent = pino({ level: 'silent' });
const ids = (hits: SearchHit[]) => hits.map((h) => h.chunk.id);
const QUERY = unitVector(30); // doc 3, chunk 0

/** Overwrites the middle of a file (30–90 %) with a byte pattern, keeping its size and header. */
function scramble(file: string): void {
  const bytes = fs.readFileSync(file);
  for (let i = Math.floor(bytes.length * 0.3); i < Math.floor(bytes.length * 0.9); i++) bytes[i] = (i * 7919) % 256;
  fs.writeFileSync(file, bytes);
}

describe('EmbeddedStore snapshot checks', () => {
  let dataDir: string;
  let files: ReturnType<typeof indexFiles>;
  const open: EmbeddedStore[] = [];
  const openStore = async (opts: Partial<EmbeddedStoreOptions> = {}) => {
    const store = await openEmbeddedStore({ dataDir, logger: silent, ...opts });
    open.push(store);
    return store;
  };
  const filled = async (n = 20) => {
    const a = await openStore();
    for (let i = 0; i < n; i++) await a.upsertDocument(fixtureDoc(i), EMBEDDER);
    const dense = ids(await a.searchDense(QUERY, 5));
    await a.close();
    return dense;
  };
  const groupFilePath = () => path.join(files.snapshot(), files.manifest().groups[0]!.file);
  const warnings = (lines: ReturnType<typeof capturingLogger>['lines']) => lines.filter((l) => l.level === 40).map((l) => `${l.msg}: ${String((l.err as { message?: string } | undefined)?.message ?? '')}`);

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-snapshot-'));
    files = indexFiles(dataDir);
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('saves a manifest with each group file’s size, checksum, live vectors and tombstones', async () => {
    await filled();
    const manifest = files.manifest();
    expect(manifest.groups).toEqual([
      expect.objectContaining({ group: 'public', vectors: 40, tombstones: 0, bytes: fs.statSync(groupFilePath()).size, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
    expect(path.basename(files.snapshot())).toBe(`vectors-${manifest.seq}`);
  });

  it.each([
    // usearch 2.26 loads this one and then segfaults in the first search.
    ['a graph scrambled behind an intact header', scramble, /does not match its checksum/],
    ['a truncated file', (file: string) => fs.truncateSync(file, 100), /has 100 bytes/],
    ['a missing manifest', (file: string) => fs.rmSync(path.join(path.dirname(file), 'manifest.json')), /no readable manifest/],
  ])('never hands usearch %s: it warns, rebuilds from SQLite and replaces the snapshot', async (_what, damage, reason) => {
    const before = await filled();
    damage(groupFilePath());
    const { logger, lines } = capturingLogger();
    const b = await openStore({ logger });
    expect(ids(await b.searchDense(QUERY, 5))).toEqual(before);
    expect(warnings(lines)).toEqual([expect.stringMatching(new RegExp(`^skipping an unusable HNSW snapshot: .*${reason.source}`))]);
    await b.close();
    // The rebuilt snapshot took the damaged one's place: the next open loads it without a warning.
    const again = capturingLogger();
    const c = await openStore({ logger: again.logger });
    expect(ids(await c.searchDense(QUERY, 5))).toEqual(before);
    expect(warnings(again.lines)).toEqual([]);
  });

  it('rebuilds when a snapshot disagrees with SQLite: the manifest’s seq, or the vector count per group', async () => {
    const before = await filled();
    const manifestFile = path.join(files.snapshot(), 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { seq: number };
    fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, seq: manifest.seq - 1 }));
    const first = capturingLogger();
    const b = await openStore({ logger: first.logger });
    expect(ids(await b.searchDense(QUERY, 5))).toEqual(before);
    expect(warnings(first.lines)).toEqual([expect.stringMatching(/is for seq \d+, the directory for \d+/)]);
    await b.close();

    // A chunk deleted behind the change log's back: the snapshot still holds its vector.
    const db = new Database(files.db());
    const rowid = db.prepare("SELECT rowid FROM chunks WHERE id = 'doc-3.md#0'").pluck().get() as number;
    db.prepare('DELETE FROM chunks WHERE rowid = ?').run(rowid);
    db.prepare('DELETE FROM chunk_vectors WHERE rowid = ?').run(rowid);
    db.close();
    const second = capturingLogger();
    const c = await openStore({ logger: second.logger });
    const dense = ids(await c.searchDense(QUERY, 5));
    expect(dense).toHaveLength(5);
    expect(dense).not.toContain('doc-3.md#0');
    expect(warnings(second.lines)).toEqual([expect.stringMatching(/group "public" holds 40 vectors where SQLite has 39 chunks/)]);
    await c.close();
    expect(files.manifest().groups[0]).toMatchObject({ vectors: 39 });
  });

  it('counts tombstones, and rebuilds a group from SQLite once they exceed a quarter of its slots', async () => {
    const a = await openStore();
    await a.upsertDocument(manyChunkDoc('keep.md', 600), EMBEDDER);
    await a.upsertDocument(manyChunkDoc('small.md', 100, { seed: 2 }), EMBEDDER);
    await a.upsertDocument(manyChunkDoc('other.md', 20, { accessGroup: 'hr', seed: 3 }), EMBEDDER);
    await a.deleteDocuments(['small.md']);
    await a.close();
    expect(files.manifest().groups.find((g) => g.group === 'public')).toMatchObject({ vectors: 600, tombstones: 100 });

    const b = await openStore();
    await b.upsertDocument(manyChunkDoc('big.md', 500, { seed: 4 }), EMBEDDER);
    await b.deleteDocuments(['big.md']); // 500 + 100 of 1,200 slots: over a quarter
    const probe = manyChunkDoc('keep.md', 600).vectors[123]!;
    expect(ids(await b.searchDense(probe, 1))).toEqual(['keep.md#123']);
    await b.close();
    expect(files.manifest().groups.map((g) => [g.group, g.vectors, g.tombstones]).sort()).toEqual([['hr', 20, 0], ['public', 600, 0]]);
  });

  it('in a service, rebuilds a large index on a worker thread while searches answer keyword-only, then serves dense results again', async () => {
    const a = await openStore();
    for (let d = 0; d < 3; d++) await a.upsertDocument(manyChunkDoc(`part-${d}.md`, 500, { seed: d + 1 }), EMBEDDER);
    const target = manyChunkDoc('part-1.md', 500, { seed: 2 });
    await a.close();
    for (const s of files.snapshots()) fs.rmSync(path.join(files.genDir(), s), { recursive: true });

    const { logger, lines } = capturingLogger();
    const b = await openStore({ logger, denseRebuild: 'background' });
    expect(b.denseAvailable()).toBe(false);
    expect(await b.searchDense(target.vectors[7]!, 3)).toEqual([]);
    const hybrid = await b.searchHybrid('section 7 seed2', target.vectors[7]!, 3, { method: 'linear', denseWeight: 0.5, rrfK: 60, candidates: 20 });
    expect(ids(hybrid)).toEqual(ids(await b.searchSparse('section 7 seed2', 3)));
    expect(lines.map((l) => l.msg)).toContain('rebuilding HNSW graphs from SQLite in the background');

    await vi.waitFor(() => expect(b.denseAvailable()).toBe(true), { timeout: 20_000, interval: 20 });
    expect(ids(await b.searchDense(target.vectors[7]!, 1))).toEqual(['part-1.md#7']);
    expect(files.snapshots()).toHaveLength(1);
    expect(files.manifest().groups).toEqual([expect.objectContaining({ group: 'public', vectors: 1500, tombstones: 0 })]);
  });

  it('a one-shot command waits for the rebuild instead of searching keyword-only', async () => {
    const a = await openStore();
    for (let d = 0; d < 3; d++) await a.upsertDocument(manyChunkDoc(`part-${d}.md`, 500, { seed: d + 1 }), EMBEDDER);
    await a.close();
    fs.writeFileSync(path.join(files.snapshot(), files.manifest().groups[0]!.file), 'garbage');
    const b = await openStore();
    const probe = manyChunkDoc('part-2.md', 500, { seed: 3 }).vectors[42]!;
    expect(ids(await b.searchDense(probe, 1))).toEqual(['part-2.md#42']);
    expect(b.denseAvailable()).toBe(true);
  });

  it('serves a reopened snapshot from the mapped file, takes writes over it, and saves them on close for the next open', async () => {
    const before = await filled();
    expect(before[0]).toBe('doc-3.md#0');
    const { logger, lines } = capturingLogger();
    const b = await openStore({ logger });
    // The mapped file cannot take these: they go to the overlay.
    await b.deleteDocuments(['doc-3.md']);
    await b.upsertDocument(fixtureDoc(50), EMBEDDER);
    const after = ids(await b.searchDense(QUERY, 5));
    expect(after).not.toContain('doc-3.md#0');
    expect(ids(await b.searchDense(fixtureDoc(50).vectors[1]!, 1))).toEqual(['doc-50.md#1']);
    await b.close();

    // Saved whole: the two removed slots taken by the two added vectors.
    expect(files.manifest().groups).toEqual([expect.objectContaining({ vectors: 40, tombstones: 0 })]);
    const c = await openStore({ logger });
    expect(ids(await c.searchDense(QUERY, 5))).toEqual(after);
    expect(ids(await c.searchDense(fixtureDoc(50).vectors[1]!, 1))).toEqual(['doc-50.md#1']);
    expect(warnings(lines)).toEqual([]);
  });

  it('keeps a few tombstones below the threshold, reusing their slots for later adds, without losing a live vector', async () => {
    const a = await openStore();
    const next = rng(7);
    await a.upsertDocument(manyChunkDoc('base.md', 400), EMBEDDER);
    for (let round = 0; round < 5; round++) {
      const n = 20 + Math.floor(next() * 40);
      await a.upsertDocument(manyChunkDoc(`churn-${round}.md`, n, { seed: 100 + round }), EMBEDDER);
      await a.deleteDocuments([`churn-${round}.md`]);
    }
    await a.close();
    const { vectors, tombstones } = files.manifest().groups[0]!;
    expect(vectors).toBe(400);
    expect(tombstones).toBeGreaterThan(0);
    const b = await openStore();
    expect(ids(await b.searchDense(manyChunkDoc('base.md', 400).vectors[399]!, 1))).toEqual(['base.md#399']);
  });
});
