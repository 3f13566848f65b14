import type { Chunk, IndexedDocument } from '../../../src/core/documents.js';
import { CairnError } from '../../../src/core/errors.js';
import type { SearchHit } from '../../../src/core/search.js';
import type { DocumentWrite, IndexBuild, IndexInfo, VectorStore } from '../../../src/core/store.js';

type EmbedderInfo = { id: string; dimensions: number };

interface Index {
  embedder: EmbedderInfo | null;
  docs: Map<string, IndexedDocument>;
  chunks: Map<string, { chunk: Chunk; vector: Float32Array }>;
  updatedAt: string | null;
}

/** The store operations ingestion uses, kept in memory; searching is out of scope for these tests. */
export class MemoryStore implements VectorStore {
  readonly kind = 'embedded' as const;
  private live: Index = emptyIndex();
  /** Every call, in order, so tests can check what a run did (and did not) do. */
  readonly calls: string[] = [];

  async info(): Promise<IndexInfo> {
    return { embedder: this.live.embedder, documents: this.live.docs.size, chunks: this.live.chunks.size, updatedAt: this.live.updatedAt };
  }

  async assertEmbedder(embedder: EmbedderInfo): Promise<void> {
    this.calls.push('assertEmbedder');
    checkEmbedder(this.live, embedder);
  }

  async listDocuments(): Promise<IndexedDocument[]> {
    return [...this.live.docs.values()].map((d) => ({ ...d }));
  }

  async upsertDocument(doc: DocumentWrite, embedder: EmbedderInfo): Promise<void> {
    this.calls.push(`upsert ${doc.document.docId}`);
    checkEmbedder(this.live, embedder);
    write(this.live, doc, embedder);
  }

  async deleteDocuments(docIds: string[]): Promise<void> {
    this.calls.push(`delete ${docIds.join(',')}`);
    for (const id of docIds) removeDoc(this.live, id);
  }

  async deleteBySource(source: string): Promise<number> {
    const ids = [...this.live.docs.values()].filter((d) => d.source === source || d.source.startsWith(`${source}/`)).map((d) => d.docId);
    for (const id of ids) removeDoc(this.live, id);
    return ids.length;
  }

  searchDense(): Promise<SearchHit[]> {
    throw new Error('MemoryStore does not search: the ingest tests only write and list');
  }

  searchSparse(): Promise<SearchHit[]> {
    throw new Error('MemoryStore does not search: the ingest tests only write and list');
  }

  searchHybrid(): Promise<SearchHit[]> {
    throw new Error('MemoryStore does not search: the ingest tests only write and list');
  }

  async getChunks(ids: string[]): Promise<Chunk[]> {
    return ids.flatMap((id) => {
      const entry = this.live.chunks.get(id);
      return entry ? [{ ...entry.chunk }] : [];
    });
  }

  async beginRebuild(embedder: EmbedderInfo): Promise<IndexBuild> {
    this.calls.push('beginRebuild');
    const next = emptyIndex();
    return {
      write: async (doc) => write(next, doc, embedder),
      commit: async () => {
        this.calls.push('commit');
        next.embedder = embedder;
        this.live = next;
      },
      abort: async () => {
        this.calls.push('abort');
      },
    };
  }

  denseAvailable(): boolean {
    return true;
  }

  async close(): Promise<void> {}

  /** Test helper: every stored chunk of a document, in order. */
  chunksOf(docId: string): Chunk[] {
    return [...this.live.chunks.values()].map((e) => e.chunk).filter((c) => c.docId === docId).sort((a, b) => a.chunkIndex - b.chunkIndex);
  }

  vectorOf(chunkId: string): Float32Array | undefined {
    return this.live.chunks.get(chunkId)?.vector;
  }
}

function emptyIndex(): Index {
  return { embedder: null, docs: new Map(), chunks: new Map(), updatedAt: null };
}

function checkEmbedder(index: Index, embedder: EmbedderInfo): void {
  const built = index.embedder;
  if (built && (built.id !== embedder.id || built.dimensions !== embedder.dimensions)) {
    throw new CairnError('EMBEDDER_MISMATCH', `The index was built with ${built.id} (${built.dimensions}-d); re-index with --full to use ${embedder.id}.`);
  }
}

function write(index: Index, doc: DocumentWrite, embedder: EmbedderInfo): void {
  if (doc.vectors.length !== doc.chunks.length) throw new Error('one vector per chunk expected');
  removeDoc(index, doc.document.docId);
  const now = new Date().toISOString();
  index.embedder ??= embedder;
  index.docs.set(doc.document.docId, { ...doc.document, chunks: doc.chunks.length, indexedAt: now });
  doc.chunks.forEach((chunk, i) => index.chunks.set(chunk.id, { chunk, vector: doc.vectors[i]! }));
  index.updatedAt = now;
}

function removeDoc(index: Index, docId: string): void {
  index.docs.delete(docId);
  for (const [id, entry] of index.chunks) if (entry.chunk.docId === docId) index.chunks.delete(id);
}
