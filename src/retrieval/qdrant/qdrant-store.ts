import type { QdrantClient } from '@qdrant/js-client-rest';
import type { Chunk, IndexedDocument } from '../../core/documents.js';
import { CairnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { FusionOptions, SearchFilter, SearchHit } from '../../core/search.js';
import type { DocumentWrite, IndexBuild, IndexInfo, VectorStore } from '../../core/store.js';
import { CollectionLayout, type IndexMetadata } from './collection.js';
import { httpStatus } from '../../core/errors.js';
import { toStoreError } from './errors.js';
import { fuseBranches, serverSideRrf } from './hybrid.js';
import { DENSE, DOCUMENT_FIELDS, firstChunks, pointId, sourceFilter, SPARSE, toChunk, toIndexedDocument, toQdrantFilter, type QdrantFilter } from './points.js';
import { QdrantIndexBuild } from './rebuild.js';
import { BM25, querySparseVector, type Bm25Params } from './sparse.js';
import { writeDocument } from './write.js';
import { untilDone } from '../../core/until-done.js';

type Embedder = { id: string; dimensions: number };
type ScoredPoint = { payload?: Record<string, unknown> | null; score: number };

const SCROLL_PAGE = 256;

function mismatch(metadata: IndexMetadata, embedder: Embedder): CairnError | null {
  if (metadata.embedderId === embedder.id && metadata.embedderDimensions === embedder.dimensions) return null;
  return new CairnError(
    'EMBEDDER_MISMATCH',
    `The Qdrant index was built with embedder ${metadata.embedderId} (${metadata.embedderDimensions} dimensions), but ${embedder.id} (${embedder.dimensions} dimensions) is configured. Run a full re-index, or configure the embedder the index was built with.`,
    { userMessage: 'The document index needs to be rebuilt before I can search it.' },
  );
}

const toHits = (points: ScoredPoint[]): SearchHit[] => points.map((p) => ({ chunk: toChunk(p.payload), score: p.score }));

/**
 * VectorStore over Qdrant: one point per chunk with a named dense vector (cosine) and a named BM25
 * sparse vector (IDF modifier). All reads go through the alias, so a rebuild's swap is seen at once.
 */
export class QdrantStore implements VectorStore {
  readonly kind = 'qdrant' as const;
  /** Checks the server version until one check succeeds. */
  private readonly compatible: () => Promise<void>;

  constructor(
    private readonly client: QdrantClient,
    private readonly url: string,
    collection: string,
    private readonly logger: Logger,
    private readonly bm25: Bm25Params = BM25,
    private readonly layout = new CollectionLayout(client, collection),
  ) {
    this.compatible = untilDone(() => this.layout.checkServerVersion(this.url));
  }

  async info(): Promise<IndexInfo> {
    return this.guard('read the index info', async () => {
      const live = await this.layout.live();
      if (live === null) return { embedder: null, documents: 0, chunks: 0, updatedAt: null };
      const chunks = (await this.client.count(live.physical, { exact: true })).count;
      const documents = (await this.client.count(live.physical, { exact: true, filter: firstChunks() })).count;
      const embedder = { id: live.metadata.embedderId, dimensions: live.metadata.embedderDimensions };
      return { embedder, documents, chunks, updatedAt: live.metadata.updatedAt };
    });
  }

  async assertEmbedder(embedder: Embedder): Promise<void> {
    const live = await this.guard('read the index metadata', () => this.layout.live());
    const error = live && mismatch(live.metadata, embedder);
    if (error) throw error;
  }

  async listDocuments(): Promise<IndexedDocument[]> {
    return this.guard('list documents', async () => {
      const physical = await this.layout.current();
      if (physical === null) return [];
      const docs: IndexedDocument[] = [];
      let offset: string | number | undefined;
      do {
        const page = await this.client.scroll(physical, { filter: firstChunks(), with_payload: DOCUMENT_FIELDS, limit: SCROLL_PAGE, ...(offset !== undefined ? { offset } : {}) });
        docs.push(...page.points.map((p) => toIndexedDocument(p.payload)));
        const next = page.next_page_offset;
        offset = typeof next === 'string' || typeof next === 'number' ? next : undefined;
      } while (offset !== undefined);
      return docs;
    });
  }

  async upsertDocument(doc: DocumentWrite, embedder: Embedder): Promise<void> {
    await this.guard('write a document', async () => {
      const live = await this.layout.live();
      let physical: string;
      if (live === null) {
        physical = await this.layout.create(embedder, this.bm25);
        await this.layout.swap(physical);
        this.logger.info({ collection: physical, alias: this.layout.alias }, 'created qdrant collection');
      } else {
        const error = mismatch(live.metadata, embedder) ?? this.bm25Mismatch(live.metadata);
        if (error) throw error;
        physical = live.physical;
      }
      await writeDocument(this.client, physical, doc, this.bm25);
      await this.layout.touch(physical);
    });
  }

  async deleteDocuments(docIds: string[]): Promise<void> {
    if (docIds.length === 0) return;
    await this.deleteWhere('delete documents', { must: [{ key: 'docId', match: { any: docIds } }] });
  }

  async deleteBySource(source: string): Promise<number> {
    return this.deleteWhere('delete documents by source', sourceFilter(source));
  }

  async searchDense(vector: Float32Array, k: number, filter?: SearchFilter): Promise<SearchHit[]> {
    const where = toQdrantFilter(filter);
    if (where === null) return [];
    return this.read('search the dense vectors', async () => {
      const res = await this.client.query(this.layout.alias, { query: Array.from(vector), using: DENSE, limit: k, filter: where, with_payload: true });
      return toHits(res.points);
    });
  }

  async searchSparse(query: string, k: number, filter?: SearchFilter): Promise<SearchHit[]> {
    const where = toQdrantFilter(filter);
    const sparse = querySparseVector(query);
    if (where === null || sparse.indices.length === 0) return [];
    return this.read('search the BM25 vectors', async () => {
      const res = await this.client.query(this.layout.alias, { query: sparse, using: SPARSE, limit: k, filter: where, with_payload: true });
      return toHits(res.points);
    });
  }

  async searchHybrid(query: string, vector: Float32Array, k: number, fusion: FusionOptions, filter?: SearchFilter): Promise<SearchHit[]> {
    const where = toQdrantFilter(filter);
    if (where === null) return [];
    const sparse = querySparseVector(query);
    const limit = Math.max(fusion.candidates, k);
    const dense = { query: Array.from(vector), using: DENSE, limit, filter: where };
    const lexical = sparse.indices.length > 0 ? { query: sparse, using: SPARSE, limit, filter: where } : null;
    const rrf = serverSideRrf(fusion);
    return this.read('run a hybrid search', async () => {
      if (lexical && rrf) {
        const res = await this.client.query(this.layout.alias, { prefetch: [dense, lexical], query: rrf, limit: k, with_payload: true });
        return toHits(res.points);
      }
      // One round trip for both branches, fused here with the same code as the embedded store.
      const searches = (lexical ? [dense, lexical] : [dense]).map((branch) => ({ ...branch, with_payload: true }));
      const [denseRes, sparseRes] = await this.client.queryBatch(this.layout.alias, { searches });
      return fuseBranches(toHits(denseRes?.points ?? []), toHits(sparseRes?.points ?? []), fusion).slice(0, k);
    });
  }

  async getChunks(ids: string[]): Promise<Chunk[]> {
    if (ids.length === 0) return [];
    return this.read('read chunks', async () => {
      const records = await this.client.retrieve(this.layout.alias, { ids: ids.map(pointId), with_payload: true });
      const byId = new Map(records.map((r) => toChunk(r.payload)).map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id)).filter((c): c is Chunk => c !== undefined);
    });
  }

  async beginRebuild(embedder: Embedder): Promise<IndexBuild> {
    const physical = await this.guard('create a collection for the rebuild', async () => {
      await this.layout.current(); // refuses early when the alias name is taken by a foreign collection
      return this.layout.create(embedder, this.bm25);
    });
    this.logger.info({ collection: physical, alias: this.layout.alias }, 'qdrant rebuild started');
    return new QdrantIndexBuild(this.client, this.layout, physical, this.bm25, (action, fn) => this.guard(action, fn), this.logger);
  }

  /** Qdrant keeps its dense vectors itself: never rebuilt behind Cairn's back. */
  denseAvailable(): boolean {
    return true;
  }

  async close(): Promise<void> {
    // The REST client holds only pooled keep-alive sockets, which close with the process.
  }

  private bm25Mismatch(metadata: IndexMetadata): CairnError | null {
    const same = metadata.bm25.k1 === this.bm25.k1 && metadata.bm25.b === this.bm25.b && metadata.bm25.avgLength === this.bm25.avgLength;
    return same ? null : new CairnError('EMBEDDER_MISMATCH', `The Qdrant index was built with other BM25 constants (${JSON.stringify(metadata.bm25)}). Run a full re-index.`);
  }

  /** Counts the matching documents, deletes their points, and returns the count. */
  private async deleteWhere(action: string, filter: QdrantFilter): Promise<number> {
    return this.guard(action, async () => {
      const physical = await this.layout.current();
      if (physical === null) return 0;
      const { count } = await this.client.count(physical, { exact: true, filter: firstChunks(filter) });
      await this.client.delete(physical, { wait: true, filter });
      await this.layout.touch(physical);
      return count;
    });
  }

  /** A read on the alias; a missing collection means nothing has been indexed yet. */
  private async read<T>(action: string, fn: () => Promise<T[]>): Promise<T[]> {
    return this.guard(action, () => fn().catch((err: unknown) => (httpStatus(err) === 404 ? [] : Promise.reject(err))));
  }

  /** Checks the server version once, then maps every failure to a CairnError naming the URL. */
  private async guard<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      await this.compatible();
      return await fn();
    } catch (err) {
      throw toStoreError(err, this.url, action);
    }
  }
}
