import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunkId, type Chunk } from '../../../src/core/documents.js';
import { isCairnError } from '../../../src/core/errors.js';
import type { FusionOptions } from '../../../src/core/search.js';
import type { DocumentWrite } from '../../../src/core/store.js';
import { fuseRrf } from '../../../src/retrieval/fusion.js';
import { openQdrantStore, type QdrantStore } from '../../../src/retrieval/qdrant/index.js';
import { startFakeQdrant, type FakeQdrant } from '../../fakes/qdrant-server.js';

const logger = pino({ level: 'silent' });
const EMBEDDER = { id: 'test-embedder@1', dimensions: 3 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function doc(docId: string, source: string, accessGroup: string, texts: string[], vectors: number[][]): DocumentWrite {
  const chunks: Chunk[] = texts.map((text, i) => ({
    id: chunkId(docId, i),
    docId,
    source,
    title: docId,
    headingPath: [],
    chunkIndex: i,
    totalChunks: texts.length,
    contentHash: `c${i}`,
    accessGroup,
    text,
  }));
  return { document: { docId, source, title: docId, hash: `h-${docId}`, accessGroup }, chunks, vectors: vectors.map((v) => Float32Array.from(v)) };
}

const HR = doc('hr/leave.md', 'docs/hr/leave.md', 'hr', ['Vacation vacation days for staff.', 'Sick leave rules.'], [[1, 0, 0], [0.9, 0.1, 0]]);
const ENG = doc('eng/deploy.md', 'docs/eng/deploy.md', 'public', ['Deploy with a rolling rollout.'], [[0, 1, 0]]);
const OPS = doc('ops/pager.md', 'docs/ops/pager.md', 'public', ['Pager rotation and deploy freeze.'], [[0, 0.6, 0.8]]);

describe('QdrantStore requests against a fake Qdrant that checks the API shapes', () => {
  let fake: FakeQdrant;
  let store: QdrantStore;

  beforeEach(async () => {
    fake = await startFakeQdrant();
    store = openQdrantStore({ url: fake.url, collection: 'cairn', logger });
  });
  afterEach(async () => {
    await fake.close();
    expect(fake.rejected, 'requests the fake Qdrant refused').toEqual([]);
  });

  it('creates a physical collection with named dense (cosine) and sparse (IDF) vectors, metadata and payload indexes, behind the alias', async () => {
    await store.upsertDocument(HR, EMBEDDER);
    const [physical] = fake.collections();
    expect(physical).toMatch(/^cairn_\d+$/);
    expect(fake.aliases()).toEqual({ cairn: physical });
    expect(fake.bodies('createCollection')).toEqual([
      {
        vectors: { dense: { size: 3, distance: 'Cosine' } },
        sparse_vectors: { bm25: { modifier: 'idf' } },
        metadata: expect.objectContaining({ embedderId: 'test-embedder@1', embedderDimensions: 3, bm25: { k1: 1.2, b: 0.75, avgLength: 140 } }),
      },
    ]);
    expect(fake.payloadIndexes(physical!)).toMatchObject({ docId: 'keyword', source: 'keyword', sourcePrefixes: 'keyword', accessGroup: 'keyword' });
  });

  it('upserts points with UUID ids, both named vectors and every chunk field as payload', async () => {
    await store.upsertDocument(HR, EMBEDDER);
    const [body] = fake.bodies('upsert') as Array<{ points: Array<{ id: string; vector: Record<string, unknown>; payload: Record<string, unknown> }> }>;
    expect(body!.points).toHaveLength(2);
    const [first, second] = body!.points;
    expect(first!.id).toMatch(UUID);
    expect(second!.id).not.toBe(first!.id);
    expect(first!.vector.dense).toEqual([1, 0, 0]);
    const sparse = first!.vector.bm25 as { indices: number[]; values: number[] };
    expect(sparse.indices.length).toBe(sparse.values.length);
    // "vacation" occurs twice, so its saturated weight is the largest but stays under k1 + 1.
    expect(Math.max(...sparse.values)).toBeLessThan(2.2);
    expect(new Set(sparse.values).size).toBeGreaterThan(1);
    expect(first!.payload).toMatchObject({ ...HR.chunks[0], sourcePrefixes: ['docs', 'docs/hr'], document: { docId: 'hr/leave.md', hash: 'h-hr/leave.md' } });
    // A rewrite drops the chunks past the document's new end.
    expect(fake.bodies('delete').at(-1)).toEqual({ filter: { must: [{ key: 'docId', match: { value: 'hr/leave.md' } }, { key: 'chunkIndex', range: { gte: 2 } }] } });
  });

  it('searches through the alias, translating access groups and sources into must conditions', async () => {
    for (const d of [HR, ENG, OPS]) await store.upsertDocument(d, EMBEDDER);
    const hits = await store.searchDense(Float32Array.from([0, 1, 0]), 5, { accessGroups: ['public', 'eng'], sources: ['docs/eng/deploy.md'] });
    expect(hits.map((h) => h.chunk.id)).toEqual(['eng/deploy.md#0']);
    const query = fake.requests.filter((r) => r.route === 'query').at(-1)!;
    expect(query.path).toBe('/collections/cairn/points/query');
    expect(query.body).toEqual({
      query: [0, 1, 0],
      using: 'dense',
      limit: 5,
      with_payload: true,
      filter: { must: [{ key: 'accessGroup', match: { any: ['public', 'eng'] } }, { key: 'source', match: { any: ['docs/eng/deploy.md'] } }] },
    });
    const before = fake.requests.length;
    expect(await store.searchSparse('deploy', 5, { accessGroups: [] })).toEqual([]);
    expect(fake.requests.length, 'an empty allow-list never reaches the server').toBe(before);
  });

  it('runs plain RRF server-side: two prefetch branches and k set explicitly, ranking as fusion.ts does', async () => {
    for (const d of [HR, ENG, OPS]) await store.upsertDocument(d, EMBEDDER);
    const rrf: FusionOptions = { method: 'rrf', denseWeight: 1, rrfK: 60, candidates: 20 };
    // No two candidates tie: Qdrant leaves RRF ties unordered, fusion.ts keeps sparse order.
    const vector = Float32Array.from([0, 1, 0.2]);
    const hits = await store.searchHybrid('deploy rollout', vector, 3, rrf, { accessGroups: ['public', 'hr'] });
    const body = fake.bodies('query').at(-1) as Record<string, unknown>;
    const filter = { must: [{ key: 'accessGroup', match: { any: ['public', 'hr'] } }] };
    expect(body).toMatchObject({ query: { rrf: { k: 61 } }, limit: 3, with_payload: true });
    expect(body.prefetch).toEqual([
      { query: Array.from(vector), using: 'dense', limit: 20, filter },
      { query: { indices: expect.any(Array), values: [1, 1] }, using: 'bm25', limit: 20, filter },
    ]);
    const dense = await store.searchDense(vector, 20, { accessGroups: ['public', 'hr'] });
    const sparse = await store.searchSparse('deploy rollout', 20, { accessGroups: ['public', 'hr'] });
    const rank = (list: typeof dense) => list.map((h) => ({ id: h.chunk.id, score: h.score }));
    const expected = fuseRrf(rank(sparse), rank(dense), { k: 60, denseWeight: 1 }).slice(0, 3);
    expect(hits.map((h) => h.chunk.id)).toEqual(expected.map((e) => e.id));
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 6));
  });

  it('fuses linear and weighted RRF client-side from one batch request', async () => {
    for (const d of [HR, ENG, OPS]) await store.upsertDocument(d, EMBEDDER);
    for (const fusion of [
      { method: 'linear', denseWeight: 0.1, rrfK: 60, candidates: 7 },
      { method: 'rrf', denseWeight: 0.5, rrfK: 60, candidates: 7 },
    ] satisfies FusionOptions[]) {
      const queriesBefore = fake.bodies('query').length;
      const hits = await store.searchHybrid('pager rotation', Float32Array.from([0, 1, 0]), 2, fusion);
      expect(fake.bodies('query').length).toBe(queriesBefore);
      const batch = fake.bodies('queryBatch').at(-1) as { searches: Array<Record<string, unknown>> };
      expect(batch.searches.map((s) => [s.using, s.limit])).toEqual([['dense', 7], ['bm25', 7]]);
      // Only the pager chunk has the words, and it outweighs the dense side's favourite.
      expect(hits.map((h) => h.chunk.id), fusion.method).toEqual(['ops/pager.md#0', 'eng/deploy.md#0']);
    }
  });

  it('deletes a folder by exact match on sourcePrefixes and counts its documents', async () => {
    for (const d of [HR, ENG, OPS]) await store.upsertDocument(d, EMBEDDER);
    expect(await store.deleteBySource('docs/hr/')).toBe(1);
    expect(fake.bodies('delete').at(-1)).toEqual({
      filter: { should: [{ key: 'source', match: { value: 'docs/hr' } }, { key: 'sourcePrefixes', match: { value: 'docs/hr' } }] },
    });
    expect((await store.listDocuments()).map((d) => d.docId).sort()).toEqual(['eng/deploy.md', 'ops/pager.md']);
  });

  it('rebuilds into a fresh collection and swaps the alias with delete + create in one call, then drops the old one', async () => {
    await store.upsertDocument(HR, EMBEDDER);
    const [old] = fake.collections();
    const build = await store.beginRebuild({ id: 'other@2', dimensions: 3 });
    await build.write(ENG);
    const fresh = fake.collections().find((c) => c !== old)!;
    expect(fake.aliases()).toEqual({ cairn: old });
    await build.commit();
    expect(fake.bodies('updateAliases').at(-1)).toEqual({
      actions: [{ delete_alias: { alias_name: 'cairn' } }, { create_alias: { collection_name: fresh, alias_name: 'cairn' } }],
    });
    expect(fake.collections()).toEqual([fresh]);
    expect(fake.metadata(fresh)).toMatchObject({ embedderId: 'other@2' });
  });

  it('a rebuild committed by one replica is what every other replica searches next, with nothing cached', async () => {
    const other = openQdrantStore({ url: fake.url, collection: 'cairn', logger });
    await store.upsertDocument(HR, EMBEDDER);
    expect((await other.searchSparse('vacation', 5)).map((h) => h.chunk.docId)).toContain('hr/leave.md');
    const build = await store.beginRebuild(EMBEDDER);
    await build.write(ENG);
    // Until the swap the other replica still reads the old index.
    expect((await other.searchSparse('vacation', 5)).map((h) => h.chunk.docId)).toContain('hr/leave.md');
    await build.commit();
    expect((await other.searchSparse('vacation', 5))).toEqual([]);
    expect((await other.searchSparse('rollout', 5)).map((h) => h.chunk.docId)).toEqual(['eng/deploy.md']);
    expect((await other.listDocuments()).map((d) => d.docId)).toEqual(['eng/deploy.md']);
    expect(await other.info()).toMatchObject({ documents: 1, chunks: 1 });
  });

  it('an aborted rebuild deletes its collection and leaves the alias alone', async () => {
    await store.upsertDocument(HR, EMBEDDER);
    const [old] = fake.collections();
    const build = await store.beginRebuild(EMBEDDER);
    await build.write(ENG);
    await build.abort();
    expect(fake.collections()).toEqual([old]);
    expect(fake.aliases()).toEqual({ cairn: old });
    await expect(build.write(ENG)).rejects.toMatchObject({ code: 'INPUT' });
  });
});

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isCairnError(err)) throw new Error(`expected a CairnError, got ${String(err)}`);
  return err;
}

describe('QdrantStore errors', () => {
  it('reports a server that is down as STORE_UNAVAILABLE naming the URL', async () => {
    const fake = await startFakeQdrant();
    const url = fake.url;
    await fake.close();
    const store = openQdrantStore({ url, collection: 'cairn', logger });
    const err = await errorOf(store.searchSparse('deploy', 3));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.message).toContain(`Qdrant at ${url} is unreachable`);
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('reports a server that never answers as STORE_UNAVAILABLE after the timeout', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const store = openQdrantStore({ url, collection: 'cairn', logger, timeoutMs: 200 });
      const err = await errorOf(store.info());
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(err.message).toMatch(/unreachable: the request timed out/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('names QDRANT_API_KEY when the key is refused, and the needed version when the server is too old', async () => {
    const guarded = await startFakeQdrant({ apiKey: 'right' });
    const old = await startFakeQdrant({ version: '1.15.4' });
    try {
      const wrongKey = await errorOf(openQdrantStore({ url: guarded.url, apiKey: 'wrong', collection: 'cairn', logger }).info());
      expect(wrongKey).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('QDRANT_API_KEY') });
      await openQdrantStore({ url: guarded.url, apiKey: 'right', collection: 'cairn', logger }).info();
      const tooOld = await errorOf(openQdrantStore({ url: old.url, collection: 'cairn', logger }).listDocuments());
      expect(tooOld).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('needs 1.16 or later') });
    } finally {
      await guarded.close();
      await old.close();
    }
  });

  it('refuses to take over a collection that already uses the alias name', async () => {
    const fake = await startFakeQdrant();
    try {
      await fetch(`${fake.url}/collections/cairn`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ vectors: { size: 3, distance: 'Dot' } }) });
      const err = await errorOf(openQdrantStore({ url: fake.url, collection: 'cairn', logger }).upsertDocument(HR, EMBEDDER));
      expect(err).toMatchObject({ code: 'CONFIG', message: expect.stringContaining('not an alias managed by Cairn') });
    } finally {
      await fake.close();
    }
  });
});
