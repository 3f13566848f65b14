import os from 'node:os';
import { CairnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { DocumentWrite, IndexBuild } from '../../core/store.js';
import { InlineTarget, type BuildJob, type BuildTarget } from './build-target.js';
import { WorkerTarget } from './build-thread.js';
import type { EmbedderStamp } from './embedder-stamp.js';
import type { Generation, IndexLayout } from './layout.js';
import type { HnswParams, VectorIndex } from './vector-index.js';

/** Where a build does its work: `inline` on the calling thread, `worker` on a worker thread (build-thread.ts). */
export type BuildThread = 'inline' | 'worker';

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
    private readonly target: BuildTarget,
    private readonly logger: Logger,
    private readonly onCommit: (gen: Generation, vectors: VectorIndex) => void,
    /** Releases the writer lock the build holds. */
    private readonly release: () => void,
  ) {}

  static async start(
    layout: IndexLayout,
    opts: { embedder: EmbedderStamp; hnsw: HnswParams; thread: BuildThread; logger: Logger },
    onCommit: (gen: Generation, vectors: VectorIndex) => void,
    release: () => void,
  ): Promise<EmbeddedBuild> {
    const gen = layout.allocate();
    // On a worker, the HNSW build leaves a core to the thread answering questions: with every core
    // adding vectors, that thread's event loop waits for the CPU.
    const hnswThreads = opts.thread === 'worker' ? Math.max(1, os.availableParallelism() - 1) : 0;
    const job: BuildJob = { dir: gen.dir, embedder: opts.embedder, hnsw: opts.hnsw, hnswThreads };
    try {
      const target = opts.thread === 'worker' ? await WorkerTarget.start(job) : InlineTarget.open(job);
      opts.logger.info({ generation: gen.name, embedder: opts.embedder.id, thread: opts.thread }, 'started a full re-index');
      return new EmbeddedBuild(layout, gen, target, opts.logger, onCommit, release);
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
    await this.target.write(doc);
  }

  async commit(): Promise<void> {
    this.assertOpen();
    const started = Date.now();
    try {
      const vectors = await this.target.seal();
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
      const removed = await this.layout.removeStaleAsync();
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
      await this.target.close();
    } finally {
      this.layout.remove(this.gen);
      this.release();
    }
    this.logger.info({ generation: this.gen.name }, 'aborted the re-index');
  }
}
