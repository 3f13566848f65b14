import type { Chunk, IndexedDocument } from './documents.js';
import type { FusionOptions, SearchFilter, SearchHit } from './search.js';

export interface IndexInfo {
  /** Which embedder built the dense side; null for an empty index. */
  embedder: { id: string; dimensions: number } | null;
  documents: number;
  chunks: number;
  updatedAt: string | null;
}

export interface DocumentWrite {
  document: Omit<IndexedDocument, 'chunks' | 'indexedAt'>;
  chunks: Chunk[];
  /** One per chunk, same order. */
  vectors: Float32Array[];
}

/**
 * Writes into a fresh index that replaces the live one only on `commit()`, all at once.
 * Until then readers keep the old index; `abort()` (or a crash) leaves it serving.
 */
export interface IndexBuild {
  write(doc: DocumentWrite): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * The one interface both the embedded store and Qdrant implement; `test/retrieval/store-contract.ts`
 * is the suite both pass.
 */
export interface VectorStore {
  readonly kind: 'embedded' | 'qdrant';
  info(): Promise<IndexInfo>;
  /** Refuses (EMBEDDER_MISMATCH) when the index was built by another embedder. */
  assertEmbedder(embedder: { id: string; dimensions: number }): Promise<void>;
  listDocuments(): Promise<IndexedDocument[]>;
  /** Replaces every chunk of the document (insert or update). */
  upsertDocument(doc: DocumentWrite, embedder: { id: string; dimensions: number }): Promise<void>;
  deleteDocuments(docIds: string[]): Promise<void>;
  /** Deletes every document whose source equals `source` or lies under it (a folder). Returns how many. */
  deleteBySource(source: string): Promise<number>;
  searchDense(vector: Float32Array, k: number, filter?: SearchFilter): Promise<SearchHit[]>;
  searchSparse(query: string, k: number, filter?: SearchFilter): Promise<SearchHit[]>;
  searchHybrid(query: string, vector: Float32Array, k: number, fusion: FusionOptions, filter?: SearchFilter): Promise<SearchHit[]>;
  getChunks(ids: string[]): Promise<Chunk[]>;
  /**
   * False while the dense index is being rebuilt and searches return keyword (BM25) results only.
   * Synchronous: checked right before a search, it says what that search will do.
   */
  denseAvailable(): boolean;
  /** Starts a full re-index that swaps in atomically on commit. */
  beginRebuild(embedder: { id: string; dimensions: number }): Promise<IndexBuild>;
  close(): Promise<void>;
}
