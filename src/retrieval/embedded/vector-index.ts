import fs from 'node:fs';
import path from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';
import type { Logger } from '../../core/logger.js';
import type { Ranked } from '../fusion.js';
import type { IndexDb } from './database.js';
import type { VectorRow } from './rows.js';

/**
 * The HNSW side index of one generation: usearch, cosine, f32, keys = chunk rowids, one HNSW graph
 * per access group. Every search is restricted to the asker's groups, so partitioning makes that
 * filter exact and free, and a small restricted group is searched as fast as a big one.
 *
 * SQLite stays the source of truth. On disk the index is a snapshot directory `vectors-<seq>/`
 * (one `g-<hex group>.usearch` file per group), seq being the `vectors_seq` it reflects; changes
 * after that are replayed from SQLite's `vector_changes` log, so a process never needs a fresh
 * snapshot to see another process's writes.
 *
 * usearch must be 2.26 or later: 2.25 overflowed the heap when loading a snapshot that held removed
 * slots (issue 18; docs/operations.md, "The embedded index: faults and repairs").
 */

export interface HnswParams {
  /** M: links per node. */
  connectivity: number;
  /** ef at build time. */
  expansionAdd: number;
  /** ef at query time (usearch uses k instead when k is larger). */
  expansionSearch: number;
}

export const DEFAULT_HNSW: HnswParams = { connectivity: 16, expansionAdd: 128, expansionSearch: 64 };

const SNAPSHOT = /^vectors-(\d+)$/;
const BATCH = 8192;
/** Below this many vectors a batch is added on one thread: spawning a pool costs more than it saves. */
const PARALLEL_ADD = 256;

function createIndex(dimensions: number, p: HnswParams): Index {
  return new Index({
    dimensions,
    metric: MetricKind.Cos,
    quantization: ScalarKind.F32,
    connectivity: p.connectivity,
    expansion_add: p.expansionAdd,
    expansion_search: p.expansionSearch,
    multi: false,
  });
}

const groupFile = (group: string) => `g-${Buffer.from(group, 'utf8').toString('hex')}.usearch`;
const fileGroup = (file: string) => Buffer.from(file.slice(2, -'.usearch'.length), 'hex').toString('utf8');

function snapshots(dir: string): Array<{ seq: number; dir: string }> {
  return fs
    .readdirSync(dir)
    .flatMap((name) => {
      const m = SNAPSHOT.exec(name);
      return m ? [{ seq: Number(m[1]), dir: path.join(dir, name) }] : [];
    })
    .sort((a, b) => b.seq - a.seq);
}

export class VectorIndex {
  private readonly groups = new Map<string, Index>();
  private savedSeq: number | null = null;

  private constructor(
    /** The `vectors_seq` this index reflects. */
    public seq: number,
    readonly dimensions: number,
    private readonly params: HnswParams,
  ) {}

  get size(): number {
    let n = 0;
    for (const index of this.groups.values()) n += index.size();
    return n;
  }

  /** Builds from every vector in SQLite, inside one read transaction so seq and rows agree. */
  static build(db: IndexDb, dimensions: number, params: HnswParams): VectorIndex {
    return db.db.transaction(() => {
      const vi = new VectorIndex(db.vectorsSeq(), dimensions, params);
      vi.addAll(db.vectors());
      return vi;
    })();
  }

  /** Loads the newest usable snapshot and replays the log; builds from SQLite (and saves) when none loads. */
  static open(dir: string, db: IndexDb, dimensions: number, params: HnswParams, logger: Logger): VectorIndex {
    const target = db.vectorsSeq();
    const floor = db.logFloor();
    for (const snap of snapshots(dir)) {
      if (snap.seq > target || snap.seq < floor) continue;
      try {
        const vi = new VectorIndex(snap.seq, dimensions, params);
        for (const file of fs.readdirSync(snap.dir).filter((f) => f.startsWith('g-') && f.endsWith('.usearch'))) {
          const index = createIndex(dimensions, params);
          index.load(path.join(snap.dir, file));
          if (index.dimensions() !== dimensions) throw new Error(`snapshot is ${index.dimensions()}-d, the index is ${dimensions}-d`);
          vi.groups.set(fileGroup(file), index);
        }
        vi.savedSeq = snap.seq;
        if (vi.sync(db)) return vi;
      } catch (err) {
        // Unreadable, wrong shape, or deleted under us by another process's save: try the next one.
        logger.warn({ err, snapshot: snap.dir }, 'skipping an unusable HNSW snapshot');
      }
    }
    const started = Date.now();
    const vi = VectorIndex.build(db, dimensions, params);
    logger.info({ dir, vectors: vi.size, ms: Date.now() - started }, 'rebuilt the HNSW index from SQLite');
    vi.save(dir, db);
    return vi;
  }

  /**
   * Replays log entries after `seq`. Returns false when it cannot (the log was pruned past it, or
   * the database moved backwards): the caller reopens from a snapshot.
   */
  sync(db: IndexDb): boolean {
    if (db.vectorsSeq() === this.seq) return true;
    return db.db.transaction(() => {
      const target = db.vectorsSeq();
      if (target < this.seq || this.seq < db.logFloor()) return false;
      const { removed, added } = db.changesSince(this.seq);
      for (const { rowid, accessGroup } of removed) this.groups.get(accessGroup)?.remove(BigInt(rowid));
      this.addAll(added);
      this.seq = target;
      return true;
    })();
  }

  /** Adds rows in per-group batches, so usearch can spread each large batch over its threads. */
  private addAll(rows: Iterable<VectorRow>): void {
    const bytes = this.dimensions * 4;
    const pending = new Map<string, VectorRow[]>();
    const flush = (group: string, batch: VectorRow[]) => {
      let index = this.groups.get(group);
      if (!index) {
        index = createIndex(this.dimensions, this.params);
        this.groups.set(group, index);
      }
      const keys = batch.map((r) => BigInt(r.rowid));
      // A key already present would become a duplicate: keep the stored one (keys are never reused).
      const present = index.contains(keys) as boolean[];
      const fresh = batch.filter((_, i) => !present[i]);
      if (fresh.length === 0) return;
      const matrix = new Uint8Array(fresh.length * bytes);
      fresh.forEach((r, i) => matrix.set(r.vector, i * bytes));
      index.add(
        fresh.map((r) => BigInt(r.rowid)),
        new Float32Array(matrix.buffer),
        fresh.length >= PARALLEL_ADD ? 0 : 1,
      );
    };
    for (const row of rows) {
      if (row.vector.byteLength !== bytes) throw new Error(`chunk ${row.rowid} has a ${row.vector.byteLength / 4}-d vector, the index is ${this.dimensions}-d`);
      const batch = pending.get(row.accessGroup) ?? [];
      batch.push(row);
      pending.set(row.accessGroup, batch);
      if (batch.length === BATCH) {
        flush(row.accessGroup, batch);
        pending.delete(row.accessGroup);
      }
    }
    for (const [group, batch] of pending) flush(group, batch);
  }

  /** Top k over the given access groups (every group when undefined), by cosine similarity. */
  search(vector: Float32Array, k: number, accessGroups?: string[]): Array<Ranked<number>> {
    const out: Array<Ranked<number>> = [];
    const groups = accessGroups ? [...new Set(accessGroups)] : [...this.groups.keys()];
    for (const group of groups) {
      const index = this.groups.get(group);
      const size = index?.size() ?? 0;
      if (!index || size === 0 || k <= 0) continue;
      const m = index.search(vector, Math.min(k, size), 1);
      for (let i = 0; i < m.keys.length; i++) out.push({ id: Number(m.keys[i]), score: 1 - m.distances[i]! });
    }
    return groups.length > 1 ? out.sort((a, b) => b.score - a.score).slice(0, k) : out;
  }

  /** How many vectors the given groups hold (every group when undefined). */
  sizeOf(accessGroups?: string[]): number {
    if (!accessGroups) return this.size;
    return [...new Set(accessGroups)].reduce((n, g) => n + (this.groups.get(g)?.size() ?? 0), 0);
  }

  get unsaved(): boolean {
    return this.savedSeq !== this.seq;
  }

  /**
   * Writes a snapshot directory (built under a temp name, then renamed: usearch's save is not
   * atomic), deletes older snapshots and prunes the log up to the previous snapshot, so processes
   * between the two can still catch up by replaying it.
   */
  save(dir: string, db: IndexDb): void {
    const older = snapshots(dir).filter((s) => s.seq < this.seq);
    const target = path.join(dir, `vectors-${this.seq}`);
    const tmp = `${target}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp);
    for (const [group, index] of this.groups) if (index.size() > 0) index.save(path.join(tmp, groupFile(group)));
    try {
      fs.renameSync(tmp, target);
    } catch (err) {
      fs.rmSync(tmp, { recursive: true, force: true });
      // Another process saved the same seq first: its snapshot is as good as ours.
      if (!fs.existsSync(target)) throw err;
    }
    this.savedSeq = this.seq;
    for (const s of older) fs.rmSync(s.dir, { recursive: true, force: true });
    const previous = older[0]?.seq;
    if (previous !== undefined) db.pruneLog(previous);
  }
}
