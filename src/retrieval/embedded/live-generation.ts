import path from 'node:path';
import { CairnError, isCairnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { damagedIndex, isDamage } from './damage.js';
import { OpenGeneration } from './generation.js';
import { DB_FILE, type Generation, type IndexLayout, type Pointer } from './layout.js';
import { openDatabase } from './schema.js';
import type { HnswParams, VectorIndex } from './vector-index.js';

const OPEN_ATTEMPTS = 3;

/**
 * Which generation a store reads: the one CURRENT names, reopened whenever CURRENT changes, so a
 * re-index committed by any process is picked up on the next call. A damaged CURRENT (empty,
 * unreadable, missing beside finished generations, or naming one that is gone) never costs data:
 * readers use the newest complete generation, and the next writer points CURRENT back at it.
 */
export class LiveGeneration {
  private gen: OpenGeneration | null = null;
  /** The CURRENT stamp `gen` was opened for; undefined before the first look. */
  private stamp: string | null | undefined;
  /** `gen` was chosen because CURRENT is damaged: a writer repairs CURRENT before writing. */
  private recovered = false;
  private cleaned = false;

  constructor(
    private readonly layout: IndexLayout,
    private readonly hnsw: HnswParams,
    private readonly logger: Logger,
  ) {}

  /** The live generation; null when there is no index yet. Reading never deletes or rewrites anything. */
  get(): OpenGeneration | null {
    let lastError: unknown;
    for (let attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      const stamp = this.layout.currentStamp();
      if (stamp === this.stamp) return this.gen;
      const pointer = this.layout.readCurrent();
      const name = this.resolve(pointer);
      if (name !== null && name === this.gen?.name) {
        this.stamp = stamp;
        return this.gen;
      }
      const gen = name === null ? null : this.layout.generation(name);
      try {
        // A generation named by CURRENT can vanish if another commit supersedes it meanwhile: look again.
        const next = gen === null ? null : OpenGeneration.open(gen, this.hnsw, this.logger);
        this.switchTo(next, stamp);
        return next;
      } catch (err) {
        if (gen && isDamage(err)) throw damagedIndex(gen.dir, err);
        if (isCairnError(err)) throw err;
        lastError = err;
      }
    }
    throw new CairnError(
      'STORE_UNAVAILABLE',
      `Cannot open the embedded index in ${this.layout.root}: ${(lastError as Error).message}. Check the data directory, or re-index with \`cairn ingest --full <paths>\`.`,
      { cause: lastError, userMessage: 'The search index is unavailable right now.' },
    );
  }

  /** The generation to read for what CURRENT says. */
  private resolve(pointer: Pointer): string | null {
    this.recovered = false;
    if (pointer.kind === 'generation') return pointer.name;
    if (pointer.kind === 'none') return null;
    const newest = this.layout.newestComplete();
    if (newest) {
      this.recovered = true;
      this.logger.warn({ index: this.layout.root, generation: newest }, `index/CURRENT ${pointer.reason}: reading the newest complete generation, ${newest}; the next write points CURRENT at it again`);
      return newest;
    }
    if (!this.layout.hasGenerations()) return null; // the whole index was deleted: nothing to recover
    throw new CairnError(
      'STORE_UNAVAILABLE',
      `${path.join(this.layout.root, 'CURRENT')} ${pointer.reason} and no generation in ${this.layout.root} is complete. ` +
        'Rebuild the index from your documents with `cairn ingest --full <paths>`.',
      { userMessage: 'The search index is unavailable right now.' },
    );
  }

  /**
   * The generation to write to, for a caller holding the writer lock: repairs a damaged CURRENT,
   * removes generations left by crashed or superseded builds (once per process), and, with `create`,
   * makes the first generation of an empty index.
   */
  forWriting(create: boolean): OpenGeneration | null {
    const existing = this.get();
    if (existing && this.recovered) {
      try {
        this.layout.writeCurrent(existing.name);
      } catch (err) {
        const file = path.join(this.layout.root, 'CURRENT');
        throw new CairnError('STORE_UNAVAILABLE', `Cannot point ${file} at ${existing.name} again: ${(err as Error).message}. Remove ${file}, then retry.`, { cause: err });
      }
      this.recovered = false;
      this.logger.warn({ generation: existing.name }, 'pointed index/CURRENT at the newest complete generation again');
    }
    if (!this.cleaned) {
      this.cleaned = true;
      const removed = this.layout.removeStale();
      if (removed.length > 0) this.logger.info({ removed }, 'removed stale index generations');
    }
    if (existing || !create) return existing;
    const gen = this.layout.allocate();
    try {
      openDatabase(path.join(gen.dir, DB_FILE), { create: true }).close();
      this.layout.writeCurrent(gen.name);
      this.layout.markBuilt(gen);
    } catch (err) {
      this.layout.remove(gen);
      throw new CairnError('STORE_UNAVAILABLE', `Cannot create the embedded index in ${gen.dir}: ${(err as Error).message}`, { cause: err });
    }
    const created = this.get();
    if (!created) throw new CairnError('STORE_UNAVAILABLE', `The new index in ${gen.dir} disappeared before it could be opened.`);
    return created;
  }

  /** Serves a just-committed build with the HNSW index it built, instead of loading it back from disk. */
  adopt(gen: Generation, vectors: VectorIndex): void {
    try {
      this.switchTo(OpenGeneration.open(gen, this.hnsw, this.logger, vectors), this.layout.currentStamp());
      this.recovered = false;
    } catch (err) {
      // The next call reopens from CURRENT.
      this.stamp = undefined;
      this.logger.warn({ err, generation: gen.name }, 'could not switch to the new generation right away');
    }
  }

  /** The generation last opened, if any (for naming a damaged database). */
  get current(): OpenGeneration | null {
    return this.gen;
  }

  close(): void {
    this.gen?.close(true);
    this.gen = null;
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
}
