import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SearchHit } from '../../../src/core/search.js';
import type { VectorStore } from '../../../src/core/store.js';
import { openEmbeddedStore, type EmbeddedStore, type EmbeddedStoreOptions } from '../../../src/retrieval/embedded/index.js';
import { runStoreContract } from '../store-contract.js';
import { EMBEDDER, fixtureDoc, unitVector } from './fixtures.js';

const logger = pino({ level: 'silent' });
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child-store.ts');
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

runStoreContract('embedded', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-embedded-'));
  const store = await openEmbeddedStore({ dataDir, logger });
  return { store, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
});

runStoreContract('embedded, full re-index on a worker thread', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-embedded-'));
  const store = await openEmbeddedStore({ dataDir, logger, buildThread: 'worker' });
  return { store, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
});

/** Runs child-store.ts in its own Node process; resolves with the process once it prints `waitFor`. */
function runChild(mode: string, dataDir: string, waitFor: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, dataDir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(`${waitFor}\n`)) resolve();
    });
    void exited.then(({ code, signal }) => reject(new Error(`child ${mode} exited (${code ?? signal}) before "${waitFor}": ${stderr}`)));
  });
  return { child, ready, exited };
}

const ids = (hits: SearchHit[]) => hits.map((h) => h.chunk.id);
const QUERY = unitVector(30); // doc 3, chunk 0

describe('EmbeddedStore', () => {
  let dataDir: string;
  const open: VectorStore[] = [];
  const openStore = async (opts: Partial<EmbeddedStoreOptions> = {}): Promise<EmbeddedStore> => {
    const store = await openEmbeddedStore({ dataDir, logger, ...opts });
    open.push(store);
    return store;
  };
  const fill = async (store: VectorStore, n = 20) => {
    for (let i = 0; i < n; i++) await store.upsertDocument(fixtureDoc(i), EMBEDDER);
  };
  const indexDir = () => path.join(dataDir, 'index');
  const generations = () => fs.readdirSync(indexDir()).filter((n) => n.startsWith('gen-')).sort();
  const current = () => fs.readFileSync(path.join(indexDir(), 'CURRENT'), 'utf8').trim();
  const snapshots = () => fs.readdirSync(path.join(indexDir(), current())).filter((n) => /^vectors-\d+$/.test(n));
  /** Everything a reader can observe, to compare before and after. */
  const observe = async (store: VectorStore) => ({
    docs: (await store.listDocuments()).map((d) => `${d.docId}:${d.hash}:${d.chunks}`),
    info: await store.info(),
    sparse: ids(await store.searchSparse('alpha marker3', 10)),
    dense: ids(await store.searchDense(QUERY, 5)),
  });

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-embedded-'));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('persists across close and reopen, with the HNSW snapshot saved beside the database', async () => {
    const a = await openStore();
    await fill(a);
    const before = await observe(a);
    expect(before.dense[0]).toBe('doc-3.md#0');
    await a.close();
    expect(snapshots()).toHaveLength(1);
    const b = await openStore();
    expect(await observe(b)).toEqual(before);
  });

  it('reports a database SQLite cannot read as INDEX_DAMAGED on use, and a full re-index (which does not read it) replaces it', async () => {
    const a = await openStore();
    await fill(a, 2);
    await a.close();
    const damaged = current();
    fs.writeFileSync(path.join(indexDir(), damaged, 'store.sqlite'), 'not a database, just some text '.repeat(200));
    const b = await openStore();
    const err = await b.searchSparse('alpha', 5).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INDEX_DAMAGED', message: expect.stringMatching(/store\.sqlite is damaged \(it is not a SQLite database\)\. Rebuild .*`cairn ingest --full <paths>`/) });
    await expect(b.upsertDocument(fixtureDoc(1), EMBEDDER)).rejects.toMatchObject({ code: 'INDEX_DAMAGED' });
    const build = await b.beginRebuild(EMBEDDER);
    await build.write(fixtureDoc(3));
    await build.commit();
    expect(ids(await b.searchDense(QUERY, 1))).toEqual(['doc-3.md#0']);
    expect(generations()).toEqual([current()]);
    expect(current()).not.toBe(damaged);
  });

  it('rebuilds the HNSW index from SQLite when its file is missing', async () => {
    const a = await openStore();
    await fill(a);
    const before = await observe(a);
    await a.close();
    for (const s of snapshots()) fs.rmSync(path.join(indexDir(), current(), s), { recursive: true });
    const b = await openStore();
    expect(ids(await b.searchDense(QUERY, 5))).toEqual(before.dense);
    expect(snapshots()).toHaveLength(1);
  });

  it('finds a small access group’s chunks even when every other chunk is nearer the query', async () => {
    const a = await openStore();
    await fill(a, 60);
    const hr = fixtureDoc(500, { accessGroup: 'hr' });
    // Pointing away from the query: the last neighbours a shared HNSW graph would ever return.
    await a.upsertDocument({ ...hr, vectors: hr.vectors.map(() => QUERY.map((x) => -x)) }, EMBEDDER);
    expect(ids(await a.searchDense(QUERY, 3, { accessGroups: ['hr'] })).sort()).toEqual(['doc-500.md#0', 'doc-500.md#1']);
    const open = await a.searchDense(QUERY, 3, { accessGroups: ['public'] });
    expect(ids(open)[0]).toBe('doc-3.md#0');
    expect(ids(open)).toEqual(ids(await a.searchDense(QUERY, 3)));
  });

  it('applies a source filter by exact scan when few chunks pass, and by widening HNSW otherwise', async () => {
    const a = await openStore();
    await fill(a, 60);
    const far = fixtureDoc(41);
    await a.upsertDocument({ ...far, vectors: far.vectors.map(() => QUERY.map((x) => -x)) }, EMBEDDER);
    const filter = { accessGroups: ['public'], sources: [far.document.source, 'docs/public/doc-3.md'] };
    const expected = ['doc-3.md#0', 'doc-3.md#1', 'doc-41.md#0', 'doc-41.md#1'];
    expect(ids(await a.searchDense(QUERY, 10, filter)).sort()).toEqual(expected);
    const b = await openStore({ dense: { exactScanLimit: 0, oversample: 2 } });
    expect(ids(await b.searchDense(QUERY, 10, filter)).sort()).toEqual(expected);
    expect(ids(await b.searchDense(QUERY, 1, filter))).toEqual(['doc-3.md#0']);
  });

  it('splits a question with common words into rare-term queries without changing the top scores', async () => {
    const exact = await openStore({ sparse: { selectiveRows: Number.MAX_SAFE_INTEGER } });
    // Through a re-index, so planning reads the term_rows snapshot a commit takes.
    const build = await exact.beginRebuild(EMBEDDER);
    for (let i = 0; i < 80; i++) await build.write(fixtureDoc(i));
    await build.commit();
    const split = await openStore({ sparse: { selectiveRows: 4 } });
    // Many chunks tie on common words, and tied chunks may come back in any order: compare scores.
    const scores = (hits: SearchHit[]) => hits.map((h) => h.score.toFixed(9));
    for (const q of ['alpha delta marker7', 'echo golf hotel marker12 marker13', 'juliet india', 'misspeled alpha']) {
      const want = await exact.searchSparse(q, 4);
      const got = await split.searchSparse(q, 4);
      expect(got, q).toHaveLength(4);
      expect(scores(got), q).toEqual(scores(want));
    }
    expect(ids(await split.searchSparse('alpha delta marker7', 2))).toEqual(['doc-7.md#0', 'doc-7.md#1']);
    // "document" is in every chunk's title: bm25 gives it an IDF of ~0, so the plan drops it rather
    // than return every chunk with a near-zero score.
    expect(ids(await split.searchSparse('document marker7', 4)).sort()).toEqual(['doc-7.md#0', 'doc-7.md#1']);
  });

  it('a full re-index leaves the keyword index merged into one segment', async () => {
    const a = await openStore();
    const build = await a.beginRebuild(EMBEDDER);
    for (let i = 0; i < 80; i++) await build.write(fixtureDoc(i));
    await build.commit();
    const generation = fs.readFileSync(path.join(dataDir, 'index', 'CURRENT'), 'utf8').trim();
    const db = new Database(path.join(dataDir, 'index', generation, 'store.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(DISTINCT segid) FROM chunks_fts_idx').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('leaves the commonest words of a question out once its terms match more rows than the budget', async () => {
    const exact = await openStore({ sparse: { selectiveRows: Number.MAX_SAFE_INTEGER, budgetRows: Number.MAX_SAFE_INTEGER } });
    const build = await exact.beginRebuild(EMBEDDER);
    for (let i = 0; i < 80; i++) await build.write(fixtureDoc(i));
    await build.commit();
    const bounded = await openStore({ sparse: { selectiveRows: 2, budgetRows: 2 } });
    const common = fixtureDoc(12).chunks[0]!.text.split(' ')[0]!;
    const scores = (hits: SearchHit[]) => hits.map((h) => h.score.toFixed(9));
    // Unbounded, the common word adds to doc-12's score; over the budget it is not searched at all.
    expect((await exact.searchSparse(`${common} marker12`, 2))[0]!.score).toBeGreaterThan((await exact.searchSparse('marker12', 2))[0]!.score);
    expect(scores(await bounded.searchSparse(`${common} marker12`, 2))).toEqual(scores(await exact.searchSparse('marker12', 2)));
  });

  it('with denseScope sparse-candidates, hybrid re-orders BM25’s candidates by cosine and falls back to HNSW when BM25 finds nothing', async () => {
    const a = await openStore({ denseScope: 'sparse-candidates' });
    await fill(a, 30);
    const denseOnly = { method: 'linear' as const, denseWeight: 1, rrfK: 60, candidates: 50 };
    const alpha = (await a.searchSparse('alpha', 50)).map((h) => h.chunk.id).sort();
    expect(alpha).toContain('doc-16.md#1');
    const near = fixtureDoc(16).vectors[1]!;
    const hits = await a.searchHybrid('alpha', near, 50, denseOnly);
    expect(ids(hits).sort()).toEqual(alpha);
    expect(hits[0]!.chunk.id).toBe('doc-16.md#1');
    expect(ids(await a.searchHybrid('zeppelin', near, 1, denseOnly))).toEqual(['doc-16.md#1']);
  });

  it('a second process sees another process’s incremental update, in dense and sparse search', async () => {
    const a = await openStore();
    await fill(a);
    const zulu = fixtureDoc(900, { variant: 'zulu' }).vectors[0]!;
    expect(ids(await a.searchDense(zulu, 1))).not.toEqual(['doc-900.md#0']);
    const { ready, exited } = runChild('upsert', dataDir, 'done');
    await ready;
    expect((await exited).code).toBe(0);
    expect(ids(await a.searchDense(zulu, 1))).toEqual(['doc-900.md#0']);
    expect(ids(await a.searchSparse('zulu', 5))).toEqual(['doc-900.md#0', 'doc-900.md#1']);
    expect(ids(await a.searchDense(fixtureDoc(1).vectors[0]!, 40))).not.toContain('doc-1.md#0');
    expect(await a.info()).toMatchObject({ documents: 20, chunks: 40 });
  });

  it('a reader far behind the pruned change log reloads the newest snapshot', async () => {
    const writer1 = await openStore();
    await fill(writer1);
    await writer1.close();
    const reader = await openStore();
    await reader.searchDense(QUERY, 1);
    for (const i of [901, 902]) {
      const w = await openStore();
      await w.upsertDocument(fixtureDoc(i, { variant: 'late' }), EMBEDDER);
      await w.close(); // saves a snapshot and prunes the log up to the previous one
    }
    expect(ids(await reader.searchDense(fixtureDoc(901).vectors[1]!, 1))).toEqual(['doc-901.md#1']);
    expect(ids(await reader.searchDense(fixtureDoc(902).vectors[0]!, 1))).toEqual(['doc-902.md#0']);
  });

  it('a reader switches to a re-index committed by another store instance on its next call', async () => {
    const reader = await openStore();
    await fill(reader, 5);
    const builder = await openStore();
    const build = await builder.beginRebuild(EMBEDDER);
    await build.write(fixtureDoc(42, { variant: 'fresh' }));
    expect(ids(await reader.searchSparse('fresh', 5))).toEqual([]);
    await build.commit();
    expect((await reader.listDocuments()).map((d) => d.docId)).toEqual(['doc-42.md']);
    expect(ids(await reader.searchDense(fixtureDoc(42).vectors[0]!, 1))).toEqual(['doc-42.md#0']);
    expect(generations()).toEqual([current()]);
  });

  it('survives a re-index process killed mid-way: the old index keeps serving, the next writer cleans up', async () => {
    const a = await openStore();
    await fill(a);
    const before = await observe(a);
    const liveGen = current();

    const { child, ready, exited } = runChild('rebuild-and-hang', dataDir, 'ready');
    await ready;
    await new Promise((resolve) => setTimeout(resolve, 50)); // let it get further into its writes
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');

    const halfBuilt = generations().filter((g) => g !== liveGen);
    expect(halfBuilt).toHaveLength(1);
    expect(fs.existsSync(path.join(indexDir(), halfBuilt[0]!, 'BUILDING'))).toBe(true);
    expect(current()).toBe(liveGen);

    expect(await observe(a)).toEqual(before);
    expect(await a.searchSparse('rebuilt', 5)).toEqual([]);

    // Reading never deletes; the first write does.
    const b = await openStore();
    expect(await observe(b)).toEqual(before);
    expect(generations()).toHaveLength(2);
    await b.deleteDocuments(['no-such-doc.md']);
    expect(generations()).toEqual([liveGen]);
    expect(await observe(b)).toEqual(before);
  });
});
