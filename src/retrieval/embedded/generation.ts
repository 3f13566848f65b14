import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../core/logger.js';
import { IndexDb } from './database.js';
import { rebuildInWorker, type RunningRebuild } from './dense-rebuild.js';
import { DB_FILE, type Generation } from './layout.js';
import { openDatabase } from './schema.js';
import { publishSnapshot, snapshotDir } from './snapshot.js';
import { refreshTermRows } from './term-rows.js';
import { VectorIndex, type HnswParams } from './vector-index.js';

/**
 * Up to this many vectors a rebuild runs on the calling thread: it takes well under a second, less
 * than starting a worker costs from TypeScript sources.
 */
const INLINE_REBUILD_MAX = 1_000;

interface Rebuild {
  /** The groups being rebuilt; null for the whole index (no usable graphs meanwhile). */
  groups: string[] | null;
  done: Promise<void>;
  cancel(): void;
}

let rebuildCount = 0;

/** One generation opened for reading and incremental writing: its SQLite file plus its HNSW index, loaded on first use. */
export class OpenGeneration {
  private vectorIndex: VectorIndex | null;
  private rebuild: Rebuild | null = null;
  private closed = false;

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly db: IndexDb,
    private readonly hnsw: HnswParams,
    private readonly logger: Logger,
    preloaded: VectorIndex | null,
  ) {
    this.vectorIndex = preloaded;
  }

  static open(gen: Generation, hnsw: HnswParams, logger: Logger, preloaded: VectorIndex | null = null): OpenGeneration {
    const db = new IndexDb(openDatabase(path.join(gen.dir, DB_FILE), { create: false, logger }));
    return new OpenGeneration(gen.name, gen.dir, db, hnsw, logger, preloaded);
  }

  /** The dimensions the stored vectors have; null before the first write. */
  dimensions(): number | null {
    const d = this.db.meta('embedder_dimensions');
    return d === undefined ? null : Number(d);
  }

  /**
   * The HNSW index, brought up to date with SQLite (this or another process may have written since).
   * Null before the first write, and while the whole index is being rebuilt from SQLite because no
   * snapshot was usable: dense search is unavailable then, keyword search is not.
   */
  vectors(): VectorIndex | null {
    const dimensions = this.dimensions();
    if (dimensions === null) return null;
    const current = this.vectorIndex;
    if (current && current.dimensions === dimensions && current.sync(this.db)) {
      this.compact(current);
      return current;
    }
    if (this.rebuild?.groups === null) return null;
    // The graphs a partial rebuild would replace are gone: drop it with them.
    this.rebuild?.cancel();
    this.rebuild = null;
    this.vectorIndex = VectorIndex.open(this.dir, this.db, dimensions, this.hnsw, this.logger);
    if (this.vectorIndex) this.compact(this.vectorIndex);
    else this.startRebuild(null, dimensions);
    return this.vectorIndex;
  }

  /** Whether dense search is being held back by a rebuild of the whole HNSW index. */
  get rebuildingAll(): boolean {
    return this.rebuild?.groups === null;
  }

  /** Resolves once no rebuild is running: writers and one-shot commands wait rather than search keyword-only. */
  async settled(): Promise<void> {
    while (this.rebuild) await this.rebuild.done;
  }

  /**
   * Mirrors a write into the HNSW index right away, so the writer (not the next searcher) pays for
   * the insertions and can persist a snapshot on close.
   */
  afterWrite(): void {
    this.vectors();
    refreshTermRows(this.db);
  }

  /** Starts rebuilding the groups whose tombstones call for it; meanwhile their old graphs keep answering. */
  private compact(index: VectorIndex): void {
    if (this.rebuild) return;
    const groups = index.compactable();
    if (groups.length > 0) this.startRebuild(groups, index.dimensions);
  }

  private startRebuild(groups: string[] | null, dimensions: number): void {
    const scope = groups ?? 'all groups';
    const vectors = groups ? groups.reduce((n, g) => n + (this.db.chunksPerGroup().get(g) ?? 0), 0) : this.db.chunkCount();
    const started = Date.now();
    if (vectors <= INLINE_REBUILD_MAX) {
      this.finish(VectorIndex.build(this.db, dimensions, this.hnsw, groups ?? undefined), groups);
      this.logger.info({ generation: this.name, groups: scope, vectors, ms: Date.now() - started }, 'rebuilt HNSW graphs from SQLite');
      return;
    }
    // A whole rebuild leaves dense search unavailable until it is done; a partial one does not.
    this.logger[groups ? 'info' : 'warn']({ generation: this.name, groups: scope, vectors }, 'rebuilding HNSW graphs from SQLite in the background');
    const outDir = path.join(this.dir, `vectors-rebuild.tmp-${process.pid}-${++rebuildCount}`);
    fs.rmSync(outDir, { recursive: true, force: true });
    const running: RunningRebuild = rebuildInWorker({ dbFile: path.join(this.dir, DB_FILE), outDir, dimensions, params: this.hnsw, groups });
    const current = () => this.rebuild === rebuild && !this.closed;
    const rebuild: Rebuild = {
      groups,
      cancel: running.cancel,
      done: running.built
        .then(
          async (seq) => {
            if (!current()) return;
            if (await this.adoptBuilt(outDir, seq, dimensions, groups, current)) {
              this.logger.info({ generation: this.name, groups: scope, vectors, ms: Date.now() - started }, 'rebuilt HNSW graphs from SQLite');
            }
          },
          (err: unknown) => {
            fs.rmSync(outDir, { recursive: true, force: true });
            if (!current()) return;
            this.rebuild = null;
            // Without the worker, build here: it blocks this thread, but the index comes back.
            this.logger.error({ err, generation: this.name }, 'the HNSW rebuild worker failed; rebuilding on the main thread');
            this.finish(VectorIndex.build(this.db, dimensions, this.hnsw, groups ?? undefined), groups);
          },
        )
        // Nobody awaits a background rebuild: a failure is logged, and the next search tries again.
        .catch((err: unknown) => this.logger.error({ err, generation: this.name }, 'rebuilding the HNSW index failed')),
    };
    this.rebuild = rebuild;
  }

  /**
   * Takes over what the worker wrote: as the new snapshot for a whole rebuild, else just the groups'
   * graphs. Checked and mapped without holding the event loop (VectorIndex.loadAsync); meanwhile the
   * rebuild still counts as running. False when it was not taken over.
   */
  private async adoptBuilt(outDir: string, seq: number, dimensions: number, groups: string[] | null, current: () => boolean): Promise<boolean> {
    try {
      const dir = groups === null ? snapshotDir(this.dir, seq) : outDir;
      if (groups === null) publishSnapshot(outDir, dir, seq, dimensions, true);
      const built = await VectorIndex.loadAsync(dir, seq, dimensions, this.hnsw);
      if (!current()) return false;
      this.rebuild = null;
      if (groups === null) built.published(this.dir, this.db);
      this.finish(built, groups);
      return true;
    } catch (err) {
      // The next call starts over (a whole rebuild), or finds the tombstones again.
      if (current()) this.rebuild = null;
      this.logger.warn({ err, generation: this.name }, 'could not take over the rebuilt HNSW graphs');
      return false;
    } finally {
      // The mapped files stay readable once deleted.
      await fs.promises.rm(outDir, { recursive: true, force: true });
    }
  }

  private finish(built: VectorIndex, groups: string[] | null): void {
    if (groups === null) {
      this.vectorIndex = built;
      if (!built.sync(this.db)) this.vectorIndex = null; // the log moved past it meanwhile: the next call starts over
      else if (built.unsaved) this.persist(built, true);
    } else if (this.vectorIndex && !this.vectorIndex.adopt(this.db, built, groups)) {
      this.logger.info({ generation: this.name, groups }, 'the change log moved on during the rebuild; the groups will be rebuilt again');
    }
  }

  /** Saves a snapshot so that the next process loads what this one has (`rebuilt`: from SQLite, see VectorIndex.save). */
  private persist(index: VectorIndex, rebuilt = false): void {
    try {
      index.save(this.dir, this.db, rebuilt);
    } catch (err) {
      this.logger.warn({ err, generation: this.name }, 'could not save the HNSW snapshot; it will be rebuilt from SQLite');
    }
  }

  /** `persist`: save the HNSW snapshot if it is ahead of the newest on disk (not for a superseded generation). */
  close(persist: boolean): void {
    this.closed = true;
    this.rebuild?.cancel();
    this.rebuild = null;
    try {
      if (persist && this.vectorIndex?.unsaved && this.vectorIndex.seq === this.db.vectorsSeq()) this.persist(this.vectorIndex);
    } finally {
      try {
        this.db.close();
      } catch (err) {
        this.logger.debug({ err, generation: this.name }, 'closing a superseded generation failed');
      }
    }
  }
}
