import path from 'node:path';
import { CairnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { DocumentWrite, IndexBuild } from '../../core/store.js';
import { IndexDb } from './database.js';
import type { EmbedderStamp } from './embedder-stamp.js';
import { DB_FILE, type Generation, type IndexLayout } from './layout.js';
import { openDatabase } from './schema.js';
import { refreshTermRows } from './term-rows.js';
import { VectorIndex, type HnswParams } from './vector-index.js';
import { writeDocument } from './writes.js';

/**
 * A full re-index into a new generation directory. Nothing points at it until `commit()` renames
 * CURRENT, so readers keep the old generation, and a crash leaves a directory marked BUILDING by a
 * dead process, which the next open deletes.
 */
export class EmbeddedBuild implements IndexBuild {
  private state: 'open' | 'committed' | 'aborted' = 'open';

  private constructor(
    private readonly layout: IndexLayout,
    private readonly gen: Generation,
    private readonly db: IndexDb,
    private readonly embedder: EmbedderStamp,
    private readonly hnsw: HnswParams,
    private readonly logger: Logger,
    private readonly onCommit: (gen: Generation, vectors: VectorIndex) => void,
    /** Releases the writer lock the build holds. */
    private readonly release: () => void,
  ) {}

  static start(
    layout: IndexLayout,
    embedder: EmbedderStamp,
    hnsw: HnswParams,
    logger: Logger,
    onCommit: (gen: Generation, vectors: VectorIndex) => void,
    release: () => void,
  ): EmbeddedBuild {
    const gen = layout.allocate();
    try {
      const db = new IndexDb(openDatabase(path.join(gen.dir, DB_FILE), { create: true }));
      logger.info({ generation: gen.name, embedder: embedder.id }, 'started a full re-index');
      return new EmbeddedBuild(layout, gen, db, embedder, hnsw, logger, onCommit, release);
    } catch (err) {
      layout.remove(gen);
      throw new CairnError('STORE_UNAVAILABLE', `Cannot create a new index generation in ${gen.dir}: ${(err as Error).message}`, { cause: err });
    }
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new CairnError('INTERNAL', `This re-index was already ${this.state}.`);
  }

  async write(doc: DocumentWrite): Promise<void> {
    this.assertOpen();
    writeDocument(this.db, doc, this.embedder);
  }

  async commit(): Promise<void> {
    this.assertOpen();
    const started = Date.now();
    try {
      const vectors = VectorIndex.build(this.db, this.embedder.dimensions, this.hnsw);
      vectors.save(this.gen.dir, this.db);
      // A fresh generation has no other reader behind its snapshot: the log is not needed.
      this.db.pruneLog(vectors.seq);
      refreshTermRows(this.db, true);
      this.db.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
      this.layout.writeCurrent(this.gen.name);
      this.state = 'committed';
      // CURRENT names this generation now, so no cleanup will touch it even with the marker left.
      this.layout.markBuilt(this.gen);
      this.logger.info({ generation: this.gen.name, vectors: vectors.size, commitMs: Date.now() - started }, 'committed the re-index');
      this.onCommit(this.gen, vectors);
    } catch (err) {
      if (this.state === 'open') await this.abort();
      this.release();
      throw err;
    }
    try {
      const removed = this.layout.removeStale();
      if (removed.length > 0) this.logger.info({ removed }, 'removed superseded index generations');
    } catch (err) {
      this.logger.warn({ err }, 'could not remove superseded index generations; the next writer will');
    } finally {
      this.release();
    }
  }

  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    try {
      if (this.db.db.open) this.db.close();
    } finally {
      this.layout.remove(this.gen);
      this.release();
    }
    this.logger.info({ generation: this.gen.name }, 'aborted the re-index');
  }
}
