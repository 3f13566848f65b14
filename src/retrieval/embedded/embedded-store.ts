import type { Chunk, IndexedDocument } from '../../core/documents.js';
import { CairnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { FusionOptions, SearchFilter, SearchHit } from '../../core/search.js';
import type { DocumentWrite, IndexBuild, IndexInfo, VectorStore } from '../../core/store.js';
import { fuse, type Ranked } from '../fusion.js';
import { EmbeddedBuild, type BuildThread } from './build.js';
import { assertSameEmbedder, type EmbedderStamp } from './embedder-stamp.js';
import { DEFAULT_DENSE, denseSearch, rescore, type DenseOptions } from './dense.js';
import { damagedIndex, isDamage } from './damage.js';
import type { OpenGeneration } from './generation.js';
import { IndexLayout, type Generation } from './layout.js';
import { LiveGeneration } from './live-generation.js';
import { DEFAULT_SPARSE, sparseSearch, type SparseOptions } from './sparse.js';
import { DEFAULT_HNSW, type HnswParams, type VectorIndex } from './vector-index.js';
import { WriterLock } from './writer-lock.js';
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
  /**
   * Where a full re-index (`beginRebuild`) writes and seals the new generation: `worker` (the default
   * with `denseRebuild: 'background'`) keeps this thread free to answer questions meanwhile; `inline`
   * (the default otherwise) saves a one-shot command the cost of a worker and of copying every chunk to it.
   */
  buildThread?: BuildThread;
}

function matchesNothing(filter: SearchFilter | undefined): boolean {
  return filter?.accessGroups?.length === 0 || filter?.sources?.length === 0;
}

/**
 * The default VectorStore: SQLite (documents, chunks, vectors, FTS5 BM25) plus a usearch HNSW
 * side index, in generation directories under `<dataDir>/index/`. Every call follows CURRENT
 * (live-generation.ts); every write holds the writer lock (writer-lock.ts).
 */
export class EmbeddedStore implements VectorStore {
  readonly kind = 'embedded' as const;
  private readonly layout: IndexLayout;
  private readonly live: LiveGeneration;
  private readonly writers: WriterLock;
  private readonly logger: Logger;
  private readonly hnsw: HnswParams;
  private readonly dense: DenseOptions;
  private readonly sparse: SparseOptions;
  private readonly denseScope: 'index' | 'sparse-candidates';
  private readonly waitForDense: boolean;
  private readonly buildThread: BuildThread;
  private closed = false;

  constructor(opts: EmbeddedStoreOptions) {
    this.layout = new IndexLayout(opts.dataDir);
    this.logger = opts.logger;
    this.hnsw = { ...DEFAULT_HNSW, ...opts.hnsw };
    this.live = new LiveGeneration(this.layout, this.hnsw, opts.logger);
    this.writers = new WriterLock(this.layout.root, opts.logger);
    this.dense = { ...DEFAULT_DENSE, ...opts.dense };
    this.sparse = { ...DEFAULT_SPARSE, ...opts.sparse };
    this.denseScope = opts.denseScope ?? 'index';
    this.waitForDense = opts.denseRebuild !== 'background';
    this.buildThread = opts.buildThread ?? (this.waitForDense ? 'inline' : 'worker');
  }

  /**
   * Opens CURRENT. A generation that cannot be opened is reported, not thrown: every later call
   * fails with the reason, but `ingest --full`, which repairs it, can still start.
   */
  open(): void {
    try {
      const gen = this.generation();
      // A service loads (or starts rebuilding) its HNSW index now, not in the first answer.
      if (!this.waitForDense) gen?.vectors();
    } catch (err) {
      // Not a warning here: the command that needs the index reports it, once, with what to run.
      this.logger.debug({ err }, 'the embedded index cannot be read');
    }
  }

  /**
   * False while the HNSW index is being rebuilt from SQLite in the background: searches then return
   * keyword (BM25) results only. Synchronous, so a caller that checks it right before a search knows
   * what that search will do.
   */
  denseAvailable(): boolean {
    return this.guardSync(() => {
      const gen = this.generation();
      if (!gen) return true;
      gen.vectors();
      return !gen.rebuildingAll;
    });
  }

  async info(): Promise<IndexInfo> {
    return this.guardSync(() => {
      const gen = this.generation();
      if (!gen) return { embedder: null, documents: 0, chunks: 0, updatedAt: null };
      return { embedder: gen.db.embedder(), ...gen.db.info() };
    });
  }

  async assertEmbedder(embedder: EmbedderStamp): Promise<void> {
    this.guardSync(() => assertSameEmbedder(this.generation()?.db.embedder() ?? null, embedder));
  }

  async listDocuments(): Promise<IndexedDocument[]> {
    return this.guardSync(() => this.generation()?.db.listDocuments() ?? []);
  }

  async upsertDocument(doc: DocumentWrite, embedder: EmbedderStamp): Promise<void> {
    await this.asWriter(async () => {
      const gen = this.live.forWriting(true)!;
      writeDocument(gen.db, doc, embedder);
      await this.afterWrite(gen);
    });
  }

  async deleteDocuments(docIds: string[]): Promise<void> {
    if (docIds.length === 0) return;
    await this.asWriter(async () => {
      const gen = this.live.forWriting(false);
      if (gen && deleteDocuments(gen.db, docIds) > 0) await this.afterWrite(gen);
    });
  }

  async deleteBySource(source: string): Promise<number> {
    return this.asWriter(async () => {
      const gen = this.live.forWriting(false);
      if (!gen) return 0;
      const removed = deleteDocuments(gen.db, documentsUnder(gen.db, source));
      if (removed > 0) await this.afterWrite(gen);
      return removed;
    });
  }

  async searchDense(vector: Float32Array, k: number, filter?: SearchFilter): Promise<SearchHit[]> {
    return this.guard(async () => {
      const gen = await this.searchable();
      if (!gen || matchesNothing(filter)) return [];
      return this.hydrate(gen, denseSearch(gen, vector, k, filter, this.dense), filter);
    });
  }

  async searchSparse(query: string, k: number, filter?: SearchFilter): Promise<SearchHit[]> {
    return this.guardSync(() => {
      const gen = this.generation();
      if (!gen || matchesNothing(filter)) return [];
      return this.hydrate(gen, sparseSearch(gen.db, query, k, filter, this.sparse), filter);
    });
  }

  async searchHybrid(query: string, vector: Float32Array, k: number, fusion: FusionOptions, filter?: SearchFilter): Promise<SearchHit[]> {
    return this.guard(async () => {
      const gen = await this.searchable();
      if (!gen || matchesNothing(filter)) return [];
      const n = Math.max(k, fusion.candidates);
      const sparse = sparseSearch(gen.db, query, n, filter, this.sparse);
      const dense =
        this.denseScope === 'sparse-candidates' && sparse.length > 0
          ? rescore(gen.db, vector, sparse)
          : denseSearch(gen, vector, n, filter, this.dense);
      return this.hydrate(gen, fuse(sparse, dense, fusion).slice(0, k), filter);
    });
  }

  async getChunks(ids: string[]): Promise<Chunk[]> {
    if (ids.length === 0) return [];
    return this.guardSync(() => this.generation()?.db.chunksById(ids) ?? []);
  }

  /** Holds the writer lock until the build commits or aborts, so no write lands in the generation it replaces. */
  async beginRebuild(embedder: EmbedderStamp): Promise<IndexBuild> {
    const release = await this.writers.acquire('rebuild');
    try {
      return await EmbeddedBuild.start(
        this.layout,
        { embedder, hnsw: this.hnsw, thread: this.buildThread, logger: this.logger },
        (gen, vectors) => this.adopt(gen, vectors),
        release,
      );
    } catch (err) {
      release();
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.live.close();
  }

  private generation(): OpenGeneration | null {
    if (this.closed) throw new CairnError('INTERNAL', 'The embedded store is closed.');
    return this.live.get();
  }

  /** The live generation for a search; in `wait` mode, once any HNSW rebuild has finished. */
  private async searchable(): Promise<OpenGeneration | null> {
    for (;;) {
      const gen = this.generation();
      if (!gen || !this.waitForDense) return gen;
      gen.vectors();
      if (!gen.rebuildingAll) return gen;
      await gen.settled();
    }
  }

  /** Runs one write holding the writer lock: it waits for a full re-index to commit, then writes into the new generation. */
  private async asWriter<T>(write: () => Promise<T>): Promise<T> {
    if (this.closed) throw new CairnError('INTERNAL', 'The embedded store is closed.');
    const release = await this.writers.acquire('write');
    try {
      return await this.guard(write);
    } finally {
      release();
    }
  }

  /** Mirrors a write into the HNSW index; in `wait` mode also waits for a rebuild it set off. */
  private async afterWrite(gen: OpenGeneration): Promise<void> {
    gen.afterWrite();
    if (this.waitForDense) await gen.settled();
  }

  /** SQLite finding the database damaged, at open or in any later query, becomes INDEX_DAMAGED. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw this.damaged(err);
    }
  }

  private guardSync<T>(work: () => T): T {
    try {
      return work();
    } catch (err) {
      throw this.damaged(err);
    }
  }

  private damaged(err: unknown): unknown {
    const gen = this.live.current;
    return gen && isDamage(err) ? damagedIndex(gen.dir, err) : err;
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

  private adopt(gen: Generation, vectors: VectorIndex): void {
    if (!this.closed) this.live.adopt(gen, vectors);
  }
}
