import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunkId, type Chunk } from '../../src/core/documents.js';
import { isCairnError } from '../../src/core/errors.js';
import type { FusionOptions, SearchFilter, SearchHit } from '../../src/core/search.js';
import type { DocumentWrite, VectorStore } from '../../src/core/store.js';

/**
 * The behaviour every VectorStore must have. Each test gets a fresh, empty store from `makeStore`.
 * Vectors are 4-d and hand-placed so the nearest neighbours are known without an embedder.
 */

export type StoreFactory = () => Promise<{ store: VectorStore; cleanup: () => Promise<void> }>;

const EMBEDDER = { id: 'test-embedder@1', dimensions: 4 };
const OTHER_EMBEDDER = { id: 'other-embedder@2', dimensions: 8 };
const LINEAR: FusionOptions = { method: 'linear', denseWeight: 0.1, rrfK: 60, candidates: 20 };
const RRF: FusionOptions = { method: 'rrf', denseWeight: 1, rrfK: 60, candidates: 20 };

function unit(v: number[]): Float32Array {
  const n = Math.hypot(...v);
  return Float32Array.from(v.map((x) => x / n));
}

interface DocSpec {
  docId: string;
  source: string;
  accessGroup: string;
  title: string;
  chunks: Array<{ text: string; vector: number[]; headingPath?: string[] }>;
  url?: string;
  hash?: string;
}

function docWrite(spec: DocSpec): DocumentWrite {
  const chunks: Chunk[] = spec.chunks.map((c, i) => ({
    id: chunkId(spec.docId, i),
    docId: spec.docId,
    source: spec.source,
    ...(spec.url ? { url: spec.url } : {}),
    title: spec.title,
    headingPath: c.headingPath ?? [],
    chunkIndex: i,
    totalChunks: spec.chunks.length,
    contentHash: `hash-of-${spec.docId}-${i}-${c.text.length}`,
    accessGroup: spec.accessGroup,
    text: c.text,
  }));
  return {
    document: { docId: spec.docId, source: spec.source, title: spec.title, hash: spec.hash ?? `h-${spec.docId}`, accessGroup: spec.accessGroup },
    chunks,
    vectors: spec.chunks.map((c) => unit(c.vector)),
  };
}

const LEAVE = docWrite({
  docId: 'hr/leave.md',
  source: 'docs/hr/leave.md',
  accessGroup: 'public',
  title: 'Leave policy',
  url: 'https://intranet.example/hr/leave',
  chunks: [
    { text: 'Employees get twenty-five days of annual vacation each year.', vector: [1, 0, 0, 0], headingPath: ['Annual leave'] },
    { text: 'Sick days need a doctor note after three days.', vector: [0.9, 0, 0, 0.44], headingPath: ['Sick leave', 'Notes'] },
  ],
});
const DEPLOY = docWrite({
  docId: 'eng/deploy.md',
  source: 'docs/eng/deploy.md',
  accessGroup: 'public',
  title: 'Deploying',
  chunks: [
    { text: 'Deploy the service to the kubernetes cluster with a rolling rollout.', vector: [0, 1, 0, 0] },
    { text: 'Roll back a failed deployment with the previous image tag.', vector: [0, 0.8, 0.6, 0] },
  ],
});
const ONCALL = docWrite({
  docId: 'eng/oncall.md',
  source: 'docs/eng/oncall.md',
  accessGroup: 'public',
  title: 'On-call',
  chunks: [{ text: 'The pager rotation changes every Monday; incidents go to the on-call engineer.', vector: [0, 0, 1, 0] }],
});
/** Shares DEPLOY's words and sits next to it in vector space, so only the filter keeps it out. */
const SECRET = docWrite({
  docId: 'secret/deploy-keys.md',
  source: 'restricted/deploy-keys.md',
  accessGroup: 'security',
  title: 'Deploy keys',
  chunks: [{ text: 'Kubernetes deploy keys for the cluster rollout live in the vault.', vector: [0, 1, 0.05, 0] }],
});
/** A sibling of docs/eng whose name starts the same, to check folder deletes stop at a path boundary. */
const ENGINEERING = docWrite({
  docId: 'engineering.md',
  source: 'docs/engineering.md',
  accessGroup: 'public',
  title: 'Engineering',
  chunks: [{ text: 'Engineering principles: write small services.', vector: [0, 0, 0, 1] }],
});

const ALL = [LEAVE, DEPLOY, ONCALL, SECRET, ENGINEERING];
const PUBLIC: SearchFilter = { accessGroups: ['public'] };
const DEPLOY_VECTOR = unit([0, 1, 0.02, 0]);

const ids = (hits: SearchHit[]) => hits.map((h) => h.chunk.id);
const docIds = (hits: SearchHit[]) => [...new Set(hits.map((h) => h.chunk.docId))];

async function expectCairnError(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected a CairnError ${code}`).not.toBeNull();
  expect(isCairnError(err) ? err.code : err).toBe(code);
}

export function runStoreContract(name: string, makeStore: StoreFactory, opts?: { skip?: string }): void {
  describe.skipIf(Boolean(opts?.skip))(`VectorStore contract: ${name}${opts?.skip ? ` (skipped: ${opts.skip})` : ''}`, () => {
    let store: VectorStore;
    let cleanup: () => Promise<void>;
    const fill = async (docs: DocumentWrite[] = ALL) => {
      for (const d of docs) await store.upsertDocument(d, EMBEDDER);
    };
    const search = (mode: 'dense' | 'sparse' | 'hybrid', query: string, vector: Float32Array, k: number, filter?: SearchFilter) =>
      mode === 'dense'
        ? store.searchDense(vector, k, filter)
        : mode === 'sparse'
          ? store.searchSparse(query, k, filter)
          : store.searchHybrid(query, vector, k, LINEAR, filter);

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it('starts empty: no embedder, no documents, searches return nothing', async () => {
      expect(await store.info()).toMatchObject({ embedder: null, documents: 0, chunks: 0 });
      expect(await store.listDocuments()).toEqual([]);
      expect(await store.searchDense(DEPLOY_VECTOR, 5)).toEqual([]);
      expect(await store.searchSparse('deploy', 5)).toEqual([]);
      expect(await store.searchHybrid('deploy', DEPLOY_VECTOR, 5, LINEAR)).toEqual([]);
      await store.assertEmbedder(OTHER_EMBEDDER);
    });

    it('dense search ranks by vector similarity and returns full chunks', async () => {
      await fill();
      const hits = await store.searchDense(unit([1, 0, 0, 0.1]), 2, PUBLIC);
      expect(ids(hits)).toEqual(['hr/leave.md#0', 'hr/leave.md#1']);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect(hits[0]!.chunk).toEqual(LEAVE.chunks[0]);
    });

    it('sparse search matches words, stems them, and ignores query syntax', async () => {
      await fill();
      expect(ids(await store.searchSparse('kubernetes', 5, PUBLIC))).toEqual(['eng/deploy.md#0']);
      expect(ids(await store.searchSparse('pagers rotating', 5, PUBLIC))).toEqual(['eng/oncall.md#0']);
      const syntax = await store.searchSparse('vacation" OR NEAR(title: *', 5, PUBLIC);
      expect(ids(syntax)[0]).toBe('hr/leave.md#0');
      expect(await store.searchSparse('zeppelin', 5, PUBLIC)).toEqual([]);
      expect(await store.searchSparse('?!', 5, PUBLIC)).toEqual([]);
    });

    it('sparse search also matches the title and heading breadcrumb', async () => {
      await fill();
      expect(docIds(await store.searchSparse('sick notes', 5, PUBLIC))[0]).toBe('hr/leave.md');
      expect(ids(await store.searchSparse('annual leave', 1, PUBLIC))).toEqual(['hr/leave.md#0']);
    });

    it('hybrid search fuses both sides, with linear and RRF fusion', async () => {
      await fill();
      for (const fusion of [LINEAR, RRF]) {
        const hits = await store.searchHybrid('rolling rollout kubernetes', DEPLOY_VECTOR, 3, fusion, PUBLIC);
        expect(hits[0]!.chunk.id).toBe('eng/deploy.md#0');
        expect(hits.length).toBeLessThanOrEqual(3);
        for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
      }
      // A chunk found only by the dense side still comes back.
      const denseOnly = await store.searchHybrid('zeppelin', unit([0, 0, 0, 1]), 2, RRF, PUBLIC);
      expect(ids(denseOnly)[0]).toBe('engineering.md#0');
    });

    it('respects k', async () => {
      await fill();
      expect(await store.searchDense(DEPLOY_VECTOR, 3, PUBLIC)).toHaveLength(3);
      expect(await store.searchHybrid('deploy rollback', DEPLOY_VECTOR, 1, LINEAR, PUBLIC)).toHaveLength(1);
    });

    it('never returns a restricted document to other access groups, in any mode', async () => {
      await fill();
      for (const mode of ['dense', 'sparse', 'hybrid'] as const) {
        const open = await search(mode, 'kubernetes deploy keys vault', DEPLOY_VECTOR, 10, PUBLIC);
        expect(open.length, mode).toBeGreaterThan(0);
        expect(docIds(open), mode).not.toContain('secret/deploy-keys.md');
        for (const h of open) expect(h.chunk.accessGroup, mode).toBe('public');

        const allowed = await search(mode, 'kubernetes deploy keys vault', DEPLOY_VECTOR, 10, { accessGroups: ['security'] });
        expect(docIds(allowed), mode).toEqual(['secret/deploy-keys.md']);
        const both = await search(mode, 'kubernetes deploy keys vault', DEPLOY_VECTOR, 10, { accessGroups: ['public', 'security'] });
        expect(docIds(both), mode).toContain('secret/deploy-keys.md');
        expect(await search(mode, 'kubernetes deploy keys vault', DEPLOY_VECTOR, 10, { accessGroups: [] }), mode).toEqual([]);
      }
    });

    it('filters by source, in any mode', async () => {
      await fill();
      const filter: SearchFilter = { accessGroups: ['public', 'security'], sources: ['docs/eng/oncall.md', 'docs/hr/leave.md'] };
      for (const mode of ['dense', 'sparse', 'hybrid'] as const) {
        const hits = await search(mode, 'deploy kubernetes pager vacation', DEPLOY_VECTOR, 10, filter);
        expect(hits.length, mode).toBeGreaterThan(0);
        for (const h of hits) expect(['docs/eng/oncall.md', 'docs/hr/leave.md'], mode).toContain(h.chunk.source);
      }
    });

    it('upsert replaces every chunk of a document', async () => {
      await fill();
      const v2 = docWrite({
        docId: 'eng/deploy.md',
        source: 'docs/eng/deploy.md',
        accessGroup: 'public',
        title: 'Deploying v2',
        hash: 'h-v2',
        chunks: [{ text: 'Ship with the blue green switch.', vector: [0, 1, 0, 0] }],
      });
      await store.upsertDocument(v2, EMBEDDER);
      expect(await store.searchSparse('kubernetes', 5, PUBLIC)).toEqual([]);
      expect(ids(await store.searchSparse('blue green', 5, PUBLIC))).toEqual(['eng/deploy.md#0']);
      expect(await store.getChunks(['eng/deploy.md#1'])).toEqual([]);
      expect(ids(await store.searchDense(unit([0, 0.8, 0.6, 0]), 10, PUBLIC))).not.toContain('eng/deploy.md#1');
      const doc = (await store.listDocuments()).find((d) => d.docId === 'eng/deploy.md');
      expect(doc).toMatchObject({ title: 'Deploying v2', hash: 'h-v2', chunks: 1 });
      expect(await store.info()).toMatchObject({ documents: 5, chunks: 6 });
    });

    it('refuses writes from another embedder', async () => {
      await fill([LEAVE]);
      await expectCairnError(store.upsertDocument(DEPLOY, { id: OTHER_EMBEDDER.id, dimensions: EMBEDDER.dimensions }), 'EMBEDDER_MISMATCH');
      expect(ids(await store.searchSparse('kubernetes', 5, PUBLIC))).toEqual([]);
    });

    it('deleteDocuments removes documents and their chunks from every mode', async () => {
      await fill();
      await store.deleteDocuments(['eng/deploy.md', 'no/such-doc.md']);
      expect((await store.listDocuments()).map((d) => d.docId)).not.toContain('eng/deploy.md');
      for (const mode of ['dense', 'sparse', 'hybrid'] as const) {
        expect(docIds(await search(mode, 'kubernetes rollout', DEPLOY_VECTOR, 10, PUBLIC)), mode).not.toContain('eng/deploy.md');
      }
      expect(await store.getChunks(['eng/deploy.md#0'])).toEqual([]);
      expect(await store.info()).toMatchObject({ documents: 4, chunks: 5 });
    });

    it('deleteBySource removes a file or a whole folder, stopping at path boundaries', async () => {
      await fill();
      expect(await store.deleteBySource('docs/eng')).toBe(2);
      let left = (await store.listDocuments()).map((d) => d.docId).sort();
      expect(left).toEqual(['engineering.md', 'hr/leave.md', 'secret/deploy-keys.md']);
      expect(await store.deleteBySource('docs/hr/leave.md')).toBe(1);
      expect(await store.deleteBySource('docs/hr/')).toBe(0);
      left = (await store.listDocuments()).map((d) => d.docId).sort();
      expect(left).toEqual(['engineering.md', 'secret/deploy-keys.md']);
      expect(docIds(await store.searchDense(DEPLOY_VECTOR, 10, PUBLIC))).toEqual(['engineering.md']);
    });

    it('listDocuments and info describe what is stored', async () => {
      await fill();
      const docs = await store.listDocuments();
      expect(docs).toHaveLength(5);
      const leave = docs.find((d) => d.docId === 'hr/leave.md');
      expect(leave).toMatchObject({ source: 'docs/hr/leave.md', title: 'Leave policy', hash: 'h-hr/leave.md', accessGroup: 'public', chunks: 2 });
      expect(Number.isNaN(Date.parse(leave!.indexedAt))).toBe(false);
      const info = await store.info();
      expect(info).toMatchObject({ embedder: EMBEDDER, documents: 5, chunks: 7 });
      expect(Number.isNaN(Date.parse(info.updatedAt ?? ''))).toBe(false);
    });

    it('assertEmbedder accepts the embedder that built the index and refuses another', async () => {
      await fill([LEAVE]);
      await store.assertEmbedder(EMBEDDER);
      await expectCairnError(store.assertEmbedder(OTHER_EMBEDDER), 'EMBEDDER_MISMATCH');
      await expectCairnError(store.assertEmbedder({ id: EMBEDDER.id, dimensions: 8 }), 'EMBEDDER_MISMATCH');
    });

    it('getChunks returns stored chunks with every payload field, in the order asked, skipping unknown ids', async () => {
      await fill();
      const got = await store.getChunks(['eng/oncall.md#0', 'missing#0', 'hr/leave.md#1']);
      expect(got).toEqual([ONCALL.chunks[0], LEAVE.chunks[1]]);
      expect(await store.getChunks([])).toEqual([]);
    });

    it('a rebuild serves the old index until commit, then swaps everything at once', async () => {
      await fill([LEAVE, DEPLOY]);
      const build = await store.beginRebuild(OTHER_EMBEDDER);
      const onCallV8 = docWrite({
        docId: 'eng/oncall.md',
        source: 'docs/eng/oncall.md',
        accessGroup: 'public',
        title: 'On-call',
        chunks: [{ text: 'The pager rotation changes every Monday.', vector: [0, 0, 1, 0, 0, 0, 0, 0] }],
      });
      await build.write(onCallV8);
      expect(ids(await store.searchSparse('kubernetes', 5, PUBLIC))).toEqual(['eng/deploy.md#0']);
      expect(await store.searchSparse('pager', 5, PUBLIC)).toEqual([]);
      expect(await store.info()).toMatchObject({ embedder: EMBEDDER, documents: 2 });
      await build.commit();
      expect(await store.info()).toMatchObject({ embedder: OTHER_EMBEDDER, documents: 1, chunks: 1 });
      expect(await store.searchSparse('kubernetes', 5, PUBLIC)).toEqual([]);
      expect(ids(await store.searchSparse('pager', 5, PUBLIC))).toEqual(['eng/oncall.md#0']);
      expect(ids(await store.searchDense(unit([0, 0, 1, 0, 0, 0, 0, 0]), 5, PUBLIC))).toEqual(['eng/oncall.md#0']);
      await store.assertEmbedder(OTHER_EMBEDDER);
    });

    it('an aborted rebuild leaves the old index serving', async () => {
      await fill([LEAVE, DEPLOY]);
      const build = await store.beginRebuild(EMBEDDER);
      await build.write(ONCALL);
      await build.abort();
      expect((await store.listDocuments()).map((d) => d.docId).sort()).toEqual(['eng/deploy.md', 'hr/leave.md']);
      expect(await store.searchSparse('pager', 5, PUBLIC)).toEqual([]);
      expect(ids(await store.searchDense(DEPLOY_VECTOR, 1, PUBLIC))).toEqual(['eng/deploy.md#0']);
    });
  });
}
