import path from 'node:path';
import type { DocumentWrite } from '../../core/store.js';
import { IndexDb } from './database.js';
import type { EmbedderStamp } from './embedder-stamp.js';
import { DB_FILE } from './layout.js';
import { openDatabase } from './schema.js';
import { refreshTermRows } from './term-rows.js';
import { VectorIndex, type HnswParams } from './vector-index.js';
import { writeDocument } from './writes.js';

/** What a full re-index needs to fill and seal a new generation directory. */
export interface BuildJob {
  dir: string;
  embedder: EmbedderStamp;
  hnsw: HnswParams;
  /** Threads usearch builds the HNSW graphs with (0: one per core). */
  hnswThreads: number;
}

/**
 * Where a full re-index does its work on the new generation: on the calling thread (InlineTarget),
 * or on a worker thread (build-thread.ts) for a process that answers questions meanwhile.
 */
export interface BuildTarget {
  write(doc: DocumentWrite): Promise<void>;
  /** Finishes the generation (sealGeneration) and resolves with its HNSW index, usable on this thread. */
  seal(): Promise<VectorIndex>;
  /** Lets go of the unfinished generation; the caller deletes its directory. */
  close(): Promise<void>;
}

export function createGenerationDb(job: BuildJob): IndexDb {
  return new IndexDb(openDatabase(path.join(job.dir, DB_FILE), { create: true }));
}

/**
 * Everything a finished generation needs before CURRENT may name it: the HNSW graphs built and saved
 * as its first snapshot, the change log dropped (a fresh generation has no reader behind that
 * snapshot), the keyword index merged into one segment (a 100k-chunk build leaves 17; merged, in
 * 1.3 s, keyword search there costs about a tenth less),
 * the BM25 term counts taken, the WAL folded in, the database closed.
 */
export function sealGeneration(db: IndexDb, job: BuildJob): VectorIndex {
  const vectors = VectorIndex.build(db, job.embedder.dimensions, job.hnsw, undefined, job.hnswThreads);
  vectors.save(job.dir, db);
  db.pruneLog(vectors.seq);
  db.optimizeKeywordIndex();
  refreshTermRows(db, true);
  db.db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return vectors;
}

/** The whole build on the calling thread: for one-shot commands, which have nothing else to serve. */
export class InlineTarget implements BuildTarget {
  private constructor(
    private readonly db: IndexDb,
    private readonly job: BuildJob,
  ) {}

  static open(job: BuildJob): InlineTarget {
    return new InlineTarget(createGenerationDb(job), job);
  }

  async write(doc: DocumentWrite): Promise<void> {
    writeDocument(this.db, doc, this.job.embedder);
  }

  async seal(): Promise<VectorIndex> {
    return sealGeneration(this.db, this.job);
  }

  async close(): Promise<void> {
    if (this.db.db.open) this.db.close();
  }
}
