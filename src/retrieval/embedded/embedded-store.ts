import path from 'node:path';
import type { Chunk, IndexedDocument } from '../../core/documents.js';
import { CairnError, isCairnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { FusionOptions, SearchFilter, SearchHit } from '../../core/search.js';
import type { DocumentWrite, IndexBuild, IndexInfo, VectorStore } from '../../core/store.js';
import { fuse, type Ranked } from '../fusion.js';
import { EmbeddedBuild } from './build.js';
import { assertSameEmbedder, type EmbedderStamp } from './embedder-stamp.js';
import { DEFAULT_DENSE, denseSearch, rescore, type DenseOptions } from './dense.js';
import { DB_FILE, OpenGeneration } from './generation.js';
import { IndexLayout, type Generation } from './layout.js';
import { openDatabase } from './schema.js';
import { DEFAULT_SPARSE, sparseSearch, type SparseOptions } from './sparse.js';
import { DEFAULT_HNSW, type HnswParams, type VectorIndex } from './vector-index.js';
import { deleteDocuments, documentsUnder, writeDocument } from './writes.js';

export interface EmbeddedStoreOptions {
  dataDir: string;
  logger: Logger;
  hnsw?: Partial<HnswParams>;
  dense?: Partial<DenseOptions>;
  sparse?: Partial<SparseOptions>;
  /**
   * Where hybrid search takes its dense side from: the HNSW index (`index`, default), or exact
   * cosine over BM25's own candidates (`sparse-candidates`: dense only re-orders what BM25 found,
   * and is used alone when BM25 finds nothing). The second costs no ANN search.
   */
  denseScope?: 'index' | 'sparse-candidates';
  /**
   * When the HNSW index must be rebuilt from SQLite (no usable snapshot): `wait` (default) holds
   * searches and writes until it is done, as a one-shot command wants; `background` lets searches
   * run keyword-only meanwhile (`denseAvailable()` is false), as a bot answering questions wants.
   */
  denseRebuild?: 'wait' | 'background';
}

const OPEN_ATTEMPTS = 3;

function matchesNothing(filter: SearchFilter | undefined): boolean {
  return filter?.accessGroups?.length === 0 || filter?.sources?.length === 0;
}

/**
 * The default VectorStore: SQLite (documents, chunks, vectors, FTS5 BM25) plus a usearch HNSW
 * side index, in generation directories under `<dataDir>/index/`. Every call follows CURRENT, so
 * a re-index committed by any process is picked up on the next call.
 */
export class EmbeddedStore implements VectorStore {
  readonly kind = 'embedded' as const;
  private readonly layout: IndexLayout;
  private readonly logger: Logger;
  private readonly hnsw: HnswParams;
  private readonly dense: DenseOptions;
  private readonly sparse: SparseOptions;
  private readonly denseScope: 'index' | 'sparse-candidates';
  private readonly waitForDense: boolean;
  private gen: OpenGeneration | null = null;
  /** The CURRENT stamp `gen` was opened for; undefined before the first look. */
  private stamp: string | null | undefined;
  private closed = false;

  constructor(opts: EmbeddedStoreOptions) {
    this.layout = new IndexLayout(opts.dataDir);
    this.logger = opts.logger;
    this.hnsw = { ...DEFAULT_HNSW, ...opts.hnsw };
    this.dense = { ...DEFAULT_DENSE, ...opts.dense };
    this.sparse = { ...DEFAULT_SPARSE, ...opts.sparse };
    this.denseScope = opts.denseScope ?? 'index';
    this.waitForDense = opts.denseRebuild !== 'background';
  }

  /** Removes generations left by crashed or superseded builds, then opens CURRENT. */
  open(): void {
    const removed = this.layout.removeStale();
    if (removed.length > 0) this.logger.info({ removed }, 'removed stale index generations');
    const gen = this.live();
    // A service loads (or starts rebuilding) its HNSW index now, not in the first answer.
    if (!this.waitForDense) gen?.vectors();
  }

  /**
   * False while the HNSW index is being rebuilt from SQLite in the background: searches then return
   * keyword (BM25) results only. Synchronous, so a caller that checks it right before a search knows
   * what that search will do.
   */
  denseAvailable(): boolean {
    const gen = this.live();
    if (!gen) return true;
    gen.vectors();
    return !gen.rebuildingAll;
  }

  /** The live generation for a search; in `wait` mode, once any HNSW rebuild has finished. */
  private async searchable(): Promise<OpenGeneration | null> {
    for (;;) {
      const gen = this.live();
      if (!gen || !this.waitForDense) return gen;
      gen.vectors();
      if (!gen.rebuildingAll) return gen;
      await gen.settled();
    }
  }

  /** Mirrors a write into the HNSW index; in `wait` mode also waits for a rebuild it set off. */
  private async afterWrite(gen: OpenGeneration): Promise<void> {
    gen.afterWrite();
    if (this.waitForDense) await gen.settled();
  }

  /** The generation CURRENT names, reopened when CURRENT changed since the last call; null when there is no index yet. */
  private live(): OpenGeneration | null {
    if (this.closed) throw new CairnError('INTERNAL', 'The embedded store is closed.');
    let lastError: unknown;
    for (let attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      const stamp = this.layout.currentStamp();
      if (stamp === this.stamp) return this.gen;
      const name = this.layout.readCurrent();
      if (name !== null && name === this.gen?.name) {
        this.stamp = stamp;
        return this.gen;
      }
      try {
        // A generation named by CURRENT can vanish if another commit supersedes it meanwhile: look again.
        const next = name === null ? null : OpenGeneration.open(this.layout.generation(name), this.hnsw, this.logger);
        this.switchTo(next, stamp);
        return next;
      } catch (err) {
        lastError = err;
      }
    }
    if (isCairnError(lastError)) throw lastError;
    throw new CairnError(
      'STORE_UNAVAILABLE',
      `Cannot open the embedded index in ${this.layout.root}: ${(lastError as Error).message}. Check the data directory, or re-index with \`cairn ingest --full <paths>\`.`,
      { cause: lastError, userMessage: 'The search index is unavailable right now.' },
    );
  }

  private switchTo(next: OpenGeneration | null, stamp: string | null): void {
    const previous = this.gen;
    this.gen = next;
    this.stamp = stamp;
    if (previous) {
      previous.close(false);
      this.logger.info({ from: previous.name, to: next?.name ?? null }, 'switched index generation');
    }
  }

  /** The live generation, creating the first one when the data directory has no index yet. */
  private writable(): OpenGeneration {
    const existing = this.live();
    if (existing) return existing;
    const gen = this.layout.allocate();
    try {
      openDatabase(path.join(gen.dir, DB_FILE), { create: true }).close();
      this.layout.writeCurrent(gen.name);
      this.layout.markBuilt(gen);
    } catch (err) {
      this.layout.remove(gen);
      throw new CairnError('STORE_UNAVAILABLE', `Cannot create the embedded index in ${gen.dir}: ${(err as Error).message}`, { cause: err });
    }
    const created = this.live();
    if (!created) throw new CairnError('STORE_UNAVAILABLE', `The new index in ${gen.dir} disappeared before it could be opened.`);
    return created;
  }

  async info(): Promise<IndexInfo> {
    const gen = this.live();
    if (!gen) return { embedder: null, documents: 0, chunks: 0, updatedAt: null };
    return { embedder: gen.db.embedder(), ...gen.db.info() };
  }

  async assertEmbedder(embedder: EmbedderStamp): Promise<void> {
    assertSameEmbedder(this.live()?.db.embedder() ?? null, embedder);
  }

  async listDocuments(): Promise<IndexedDocument[]> {
    return this.live()?.db.listDocuments() ?? [];
  }

  async upsertDocument(doc: DocumentWrite, embedder: EmbedderStamp): Promise<void> {
    const gen = this.writable();
    writeDocument(gen.db, doc, embedder);
    await this.afterWrite(gen);
  }

  async deleteDocuments(docIds: string[]): Promise<void> {
    const gen = this.live();
    if (!gen || docIds.length === 0) return;
    if (deleteDocuments(gen.db, docIds) > 0) await this.afterWrite(gen);
  }

  async deleteBySource(source: string): Promise<number> {
    const gen = this.live();
    if (!gen) return 0;
    const removed = deleteDocuments(gen.db, documentsUnder(gen.db, source));
    if (removed > 0) await this.afterWrite(gen);
    return removed;
  }

  async searchDense(vector: Float32Array, k: number, filter?: SearchFilter): Promise<SearchHit[]> {
    const gen = await this.searchable();
    if (!gen || matchesNothing(filter)) return [];
    return this.hydrate(gen, denseSearch(gen, vector, k, filter, this.dense), filter);
  }

  async searchSparse(query: string, k: number, filter?: SearchFilter): Promise<SearchHit[]> {
    const gen = this.live();
    if (!gen || matchesNothing(filter)) return [];
    return this.hydrate(gen, sparseSearch(gen.db, query, k, filter, this.sparse), filter);
  }

  async searchHybrid(query: string, vector: Float32Array, k: number, fusion: FusionOptions, filter?: SearchFilter): Promise<SearchHit[]> {
    const gen = await this.searchable();
    if (!gen || matchesNothing(filter)) return [];
    const n = Math.max(k, fusion.candidates);
    const sparse = sparseSearch(gen.db, query, n, filter, this.sparse);
    const dense =
      this.denseScope === 'sparse-candidates' && sparse.length > 0
        ? rescore(gen.db, vector, sparse)
        : denseSearch(gen, vector, n, filter, this.dense);
    return this.hydrate(gen, fuse(sparse, dense, fusion).slice(0, k), filter);
  }

  async getChunks(ids: string[]): Promise<Chunk[]> {
    if (ids.length === 0) return [];
    return this.live()?.db.chunksById(ids) ?? [];
  }

  async beginRebuild(embedder: EmbedderStamp): Promise<IndexBuild> {
    return EmbeddedBuild.start(this.layout, embedder, this.hnsw, this.logger, (gen, vectors) => this.adopt(gen, vectors));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gen?.close(true);
    this.gen = null;
  }

  /**
   * Ranked rowids → hits. The filter is checked once more on the stored payload: the HNSW side
   * index is derived data, and access control must not depend on it being in step.
   */
  private hydrate(gen: OpenGeneration, ranked: Array<Ranked<number>>, filter: SearchFilter | undefined): SearchHit[] {
    if (ranked.length === 0) return [];
    const chunks = gen.db.chunksByRowid(ranked.map((r) => r.id));
    const groups = filter?.accessGroups && new Set(filter.accessGroups);
    const sources = filter?.sources && new Set(filter.sources);
    return ranked.flatMap((r) => {
      const chunk = chunks.get(r.id);
      if (!chunk || (groups && !groups.has(chunk.accessGroup)) || (sources && !sources.has(chunk.source))) return [];
      return [{ chunk, score: r.score }];
    });
  }

  /** Serves a just-committed build with the HNSW index it built, instead of loading it back from disk. */
  private adopt(gen: Generation, vectors: VectorIndex): void {
    if (this.closed) return;
    try {
      this.switchTo(OpenGeneration.open(gen, this.hnsw, this.logger, vectors), this.layout.currentStamp());
    } catch (err) {
      // The next call reopens from CURRENT.
      this.stamp = undefined;
      this.logger.warn({ err, generation: gen.name }, 'could not switch to the new generation right away');
    }
  }
}
