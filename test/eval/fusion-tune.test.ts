import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkId } from '../../src/core/documents.js';
import type { Embedder } from '../../src/core/embedder.js';
import type { DocumentWrite } from '../../src/core/store.js';
import { fusionGrid, tuneFusion } from '../../src/eval/fusion-tune.js';
import type { Qrels } from '../../src/eval/metrics.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/retrieval/embedded/index.js';
import { LexicalReranker } from '../../src/retrieval/rerank/index.js';
import { unitVector } from '../retrieval/embedded/fixtures.js';

/**
 * A planted set: every question has one document that only the dense side finds (its vector equals
 * the question's, but it shares no word with it) and one that only BM25 finds (it holds the
 * question's words, its vector is unrelated). Which one the qrels call relevant decides the
 * known-best fusion: all dense, or all BM25. The sweep must find each.
 */
const TOPICS = 12;
const DIMS = 16;
const STAMP = { id: 'planted@1', dimensions: DIMS };
const words = (t: number) => `zulu${t} yankee${t} xray${t}`;
const queryVector = (t: number) => unitVector(1000 + t, DIMS);

function doc(id: string, text: string, vector: Float32Array): DocumentWrite {
  return {
    document: { docId: id, source: id, title: id, hash: id, accessGroup: 'public' },
    chunks: [{ id: chunkId(id, 0), docId: id, source: id, title: id, headingPath: [], chunkIndex: 0, totalChunks: 1, contentHash: id, accessGroup: 'public', text }],
    vectors: [vector],
  };
}

const embedder: Embedder = {
  ...STAMP,
  embedDocuments: async () => [],
  embedQuery: async (text) => queryVector(Number(/zulu(\d+)/.exec(text)![1])),
};
const queries = Array.from({ length: TOPICS }, (_, t) => ({ id: `q${t}`, text: words(t) }));
const qrelsFor = (prefix: string): Qrels => new Map(queries.map((q, t) => [q.id, new Map([[`${prefix}${t}`, 1]])]));
const current = { fusion: 'linear' as const, denseWeight: 0.2, rrfK: 60, rerank: false };

describe('eval tune (fusion sweep)', () => {
  let dir = '';
  let store: EmbeddedStore;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-tune-'));
    store = await openEmbeddedStore({ dataDir: dir, logger: pino({ level: 'silent' }) });
    for (let t = 0; t < TOPICS; t++) {
      await store.upsertDocument(doc(`dense${t}`, `unrelated prose number ${t}`, queryVector(t)), STAMP);
      await store.upsertDocument(doc(`words${t}`, `${words(t)} appear here`, unitVector(2000 + t, DIMS)), STAMP);
    }
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds an all-dense weight when the dense side holds the answers, and an all-BM25 one when BM25 does', async () => {
    const deps = { store, embedder, reranker: null, accessGroups: ['public'], current };
    const dense = await tuneFusion({ queries, qrels: qrelsFor('dense') }, 10, deps);
    const sparse = await tuneFusion({ queries, qrels: qrelsFor('words') }, 10, deps);

    expect(dense.queries).toBe(TOPICS);
    expect(dense.rows[0]!.setting).toMatchObject({ fusion: 'linear', rerank: false });
    expect(dense.rows[0]!.setting.denseWeight).toBeGreaterThanOrEqual(0.6);
    expect(dense.rows[0]!.metrics['ndcg@10']).toBe(1);
    expect(sparse.rows[0]!.setting.denseWeight).toBeLessThanOrEqual(0.4);
    expect(sparse.rows[0]!.metrics['ndcg@10']).toBe(1);
    // The planted answers sit second where the other side leads: those rows score below 1.
    const row = (r: typeof dense, w: number) => r.rows.find((x) => x.setting.fusion === 'linear' && x.setting.denseWeight === w)!;
    expect(row(dense, 0).metrics['ndcg@10']).toBeLessThan(1);
    expect(row(sparse, 1).metrics['ndcg@10']).toBeLessThan(1);
    // Rows come best first, and the configured setting is marked.
    const ndcgs = dense.rows.map((r) => r.metrics['ndcg@10']!);
    expect(ndcgs).toEqual([...ndcgs].sort((a, b) => b - a));
    expect(dense.rows.filter((r) => r.current).map((r) => r.setting.denseWeight)).toEqual([0.2]);
  });

  it('sweeps each setting with and without the reranker, and keeps an off-grid current setting', () => {
    const grid = fusionGrid({ fusion: 'rrf', denseWeight: 0.35, rrfK: 45, rerank: true }, true);
    expect(grid.filter((s) => s.rerank).length).toBe(grid.filter((s) => !s.rerank).length + 1);
    expect(grid.at(-1)).toEqual({ fusion: 'rrf', denseWeight: 0.35, rrfK: 45, rerank: true });
    expect(fusionGrid(current, false).every((s) => !s.rerank)).toBe(true);
  });

  it('reports the reranker it swept with', async () => {
    const report = await tuneFusion({ queries: queries.slice(0, 3), qrels: qrelsFor('words') }, 10, {
      store, embedder, reranker: new LexicalReranker(), accessGroups: ['public'], current,
    });
    expect(report.reranker).toBe(new LexicalReranker().id);
    expect(report.rows.some((r) => r.setting.rerank)).toBe(true);
  });
});
