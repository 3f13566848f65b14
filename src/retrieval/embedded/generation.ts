import path from 'node:path';
import type { Logger } from '../../core/logger.js';
import { IndexDb } from './database.js';
import type { Generation } from './layout.js';
import { openDatabase } from './schema.js';
import { refreshTermRows } from './term-rows.js';
import { VectorIndex, type HnswParams } from './vector-index.js';

export const DB_FILE = 'store.sqlite';

/** One generation opened for reading and incremental writing: its SQLite file plus its HNSW index, loaded on first use. */
export class OpenGeneration {
  private vectorIndex: VectorIndex | null;

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
    const db = new IndexDb(openDatabase(path.join(gen.dir, DB_FILE), { create: false }));
    return new OpenGeneration(gen.name, gen.dir, db, hnsw, logger, preloaded);
  }

  /** The dimensions the stored vectors have; null before the first write. */
  dimensions(): number | null {
    const d = this.db.meta('embedder_dimensions');
    return d === undefined ? null : Number(d);
  }

  /** The HNSW index, brought up to date with SQLite (this or another process may have written since). */
  vectors(): VectorIndex | null {
    const dimensions = this.dimensions();
    if (dimensions === null) return null;
    const current = this.vectorIndex;
    if (current && current.dimensions === dimensions && current.sync(this.db)) return current;
    this.vectorIndex = VectorIndex.open(this.dir, this.db, dimensions, this.hnsw, this.logger);
    return this.vectorIndex;
  }

  /**
   * Mirrors a write into the HNSW index right away, so the writer (not the next searcher) pays for
   * the insertions and can persist a snapshot on close.
   */
  afterWrite(): void {
    this.vectors();
    refreshTermRows(this.db);
  }

  /** `persist`: save the HNSW snapshot if it is ahead of the newest on disk (not for a superseded generation). */
  close(persist: boolean): void {
    try {
      if (persist && this.vectorIndex?.unsaved && this.vectorIndex.seq === this.db.vectorsSeq()) {
        this.vectorIndex.save(this.dir, this.db);
      }
    } catch (err) {
      this.logger.warn({ err, generation: this.name }, 'could not save the HNSW snapshot; it will be rebuilt from SQLite');
    } finally {
      try {
        this.db.close();
      } catch (err) {
        this.logger.debug({ err, generation: this.name }, 'closing a superseded generation failed');
      }
    }
  }
}
