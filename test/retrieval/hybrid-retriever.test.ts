import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/core/embedder.js';
import type { Reranker } from '../../src/core/retriever.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/retrieval/embedded/index.js';
import { createHybridRetriever } from '../../src/retrieval/hybrid-retriever.js';
import { EMBEDDER, fixtureDoc, unitVector } from './embedded/fixtures.js';

const logger = pino({ level: 'silent' });
const embedder: Embedder = { id: EMBEDDER.id, dimensions: EMBEDDER.dimensions, embedDocuments: async () => [], embedQuery: async () => unitVector(30) };

describe('HybridRetriever with a reranker', () => {
  let dataDir = '';
  let store: EmbeddedStore | undefined;
  afterEach(async () => {
    await store?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('re-scores the reranker’s own number of candidates, however many results are asked for, and keeps fused order after them', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-rerank-pool-'));
    store = await openEmbeddedStore({ dataDir, logger });
    for (let i = 0; i < 20; i++) await store.upsertDocument(fixtureDoc(i), EMBEDDER);
    const seen: number[] = [];
    const reverse: Reranker = {
      id: 'reverse',
      candidates: 4,
      rerank: async (_query, hits, k) => {
        seen.push(hits.length);
        return [...hits].reverse().slice(0, k);
      },
    };
    const fusion = { fusion: 'linear' as const, denseWeight: 0.3, rrfK: 60 };
    const fused = (await createHybridRetriever(store, embedder, null, fusion).search('alpha marker3', { k: 10, accessGroups: ['public'] })).map((h) => h.chunk.id);
    const retriever = createHybridRetriever(store, embedder, reverse, fusion);

    const many = (await retriever.search('alpha marker3', { k: 10, accessGroups: ['public'] })).map((h) => h.chunk.id);
    expect(many).toEqual([...fused.slice(0, 4).reverse(), ...fused.slice(4, 10)]);
    const few = (await retriever.search('alpha marker3', { k: 2, accessGroups: ['public'] })).map((h) => h.chunk.id);
    expect(few).toEqual(fused.slice(0, 4).reverse().slice(0, 2));
    expect(seen).toEqual([4, 4]);
  });
});
