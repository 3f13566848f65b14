import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '../../core/logger.js';
import type { Ranked } from '../fusion.js';
import type { IndexDb } from './database.js';
import { GroupGraph, type HnswParams, type VectorsOf } from './group-graph.js';
import type { VectorRow } from './rows.js';
import {
  describeGroupFile,
  groupFile,
  listSnapshots,
  publishSnapshot,
  snapshotDir,
  UnusableSnapshot,
  verifySnapshot,
  verifySnapshotAsync,
  writeManifest,
  type GroupEntry,
} from './snapshot.js';

/**
 * The HNSW side index of one generation: usearch, cosine, f32, keys = chunk rowids, one HNSW graph
 * per access group. Every search is restricted to the asker's groups, so partitioning makes that
 * filter exact and free, and a small restricted group is searched as fast as a big one.
 *
 * SQLite stays the source of truth. On disk the index is a snapshot directory `vectors-<seq>/`
 * (one `g-<hex group>.usearch` file per group and a manifest, see snapshot.ts), seq being the
 * `vectors_seq` it reflects; changes after that are replayed from SQLite's `vector_changes` log, so
 * a process never needs a fresh snapshot to see another process's writes.
 *
 * usearch must be 2.26 or later: 2.25 overflowed the heap when loading a snapshot that held removed
 * slots (issue 18; docs/operations.md, "The embedded index: faults and repairs").
 */

export { DEFAULT_HNSW, type HnswParams } from './group-graph.js';

const BATCH = 8192;
/** Below this many vectors a batch is added on one thread: spawning a pool costs more than it saves. */
const PARALLEL_ADD = 256;
/**
 * A removed vector stays in its graph as a tombstone until an add reuses its slot. Searches still walk
 * through tombstones without being able to return them, so recall and memory suffer as they pile up.
 * A group is rebuilt from SQLite once they exceed a quarter of its slots: each rebuild then follows at
 * least a third as many removals as it re-inserts live vectors, so its cost, spread over those
 * removals, stays a small constant per removal (like a growing array's doubling). Below 256 tombstones
 * the waste is too small to be worth a rebuild.
 */
const COMPACT_SHARE = 0.25;
const COMPACT_MIN = 256;

interface Removal {
  rowid: number;
  accessGroup: string;
}

function* inGroups(rows: Iterable<VectorRow>, groups: ReadonlySet<string>): Iterable<VectorRow> {
  for (const row of rows) if (groups.has(row.accessGroup)) yield row;
}

export class VectorIndex {
  private readonly graphs = new Map<string, GroupGraph>();
  private savedSeq: number | null = null;

  private constructor(
    /** The `vectors_seq` this index reflects. */
    public seq: number,
    readonly dimensions: number,
    private readonly params: HnswParams,
  ) {}

  get size(): number {
    let n = 0;
    for (const graph of this.graphs.values()) n += graph.size;
    return n;
  }

  /**
   * Builds from SQLite's vectors (of `groups` only, when given), inside one read transaction so seq
   * and rows agree. `threads`: how many usearch may add with at once (0: one per core).
   */
  static build(db: IndexDb, dimensions: number, params: HnswParams, groups?: readonly string[], threads = 0): VectorIndex {
    return db.db.transaction(() => {
      const vi = new VectorIndex(db.vectorsSeq(), dimensions, params);
      vi.addAll(db.vectors(groups ? { accessGroups: [...groups] } : undefined), threads);
      return vi;
    })();
  }

  /**
   * Maps the snapshot in `dir` for `seq` (GroupGraph.view: the graphs are served from the files, not
   * copied onto the heap). Its files are checked against the manifest before usearch sees them, and
   * usearch's view of each graph against the manifest after: throws UnusableSnapshot.
   */
  static load(dir: string, seq: number, dimensions: number, params: HnswParams): VectorIndex {
    const manifest = verifySnapshot(dir, seq, dimensions);
    const vi = new VectorIndex(seq, dimensions, params);
    for (const entry of manifest.groups) vi.loadGraph(dir, entry);
    vi.savedSeq = seq;
    return vi;
  }

  /**
   * `load` for a process that is answering questions meanwhile: the files are checked without holding
   * the event loop, and the graphs are mapped one at a time, yielding in between.
   */
  static async loadAsync(dir: string, seq: number, dimensions: number, params: HnswParams): Promise<VectorIndex> {
    const manifest = await verifySnapshotAsync(dir, seq, dimensions);
    const vi = new VectorIndex(seq, dimensions, params);
    for (const entry of manifest.groups) {
      await nextTurn();
      vi.loadGraph(dir, entry);
    }
    vi.savedSeq = seq;
    return vi;
  }

  private loadGraph(dir: string, entry: GroupEntry): void {
    this.graphs.set(entry.group, GroupGraph.view(path.join(dir, entry.file), entry, this.dimensions, this.params));
  }

  /**
   * The newest snapshot that loads, replays the log up to SQLite and then holds exactly as many
   * vectors per group as SQLite has chunks. Null when none does: the caller rebuilds from SQLite.
   */
  static open(dir: string, db: IndexDb, dimensions: number, params: HnswParams, logger: Logger): VectorIndex | null {
    const target = db.vectorsSeq();
    const floor = db.logFloor();
    for (const snap of listSnapshots(dir)) {
      if (snap.seq > target || snap.seq < floor) continue;
      try {
        const vi = VectorIndex.load(snap.dir, snap.seq, dimensions, params);
        // One read transaction, so the counts are those of the seq the replay reached.
        const problem = db.db.transaction(() => (vi.sync(db) ? vi.mismatch(db) : 'its change log was pruned meanwhile'))();
        if (problem) throw new UnusableSnapshot(problem);
        return vi;
      } catch (err) {
        // Damaged, inconsistent, or deleted under us by another process's save: try the next one.
        logger.warn({ err, snapshot: snap.dir }, 'skipping an unusable HNSW snapshot');
      }
    }
    return null;
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
      this.apply(removed, added);
      this.seq = target;
      return true;
    })();
  }

  /** Removals first, then additions: an addition of a chunk deleted since is not in `added` at all. */
  private apply(removed: Removal[], added: Iterable<VectorRow>): void {
    for (const { rowid, accessGroup } of removed) {
      const graph = this.graphs.get(accessGroup);
      graph?.remove(rowid);
    }
    this.addAll(added);
  }

  /** Groups whose tombstones call for a rebuild from SQLite (see COMPACT_SHARE). */
  compactable(): string[] {
    return [...this.graphs].filter(([, g]) => g.tombstones >= COMPACT_MIN && g.tombstones > COMPACT_SHARE * (g.tombstones + g.size)).map(([group]) => group);
  }

  /**
   * Replaces the graphs of `groups` with those of `fresh` (built from SQLite at an earlier seq),
   * after replaying onto them what changed in those groups since. False when the log no longer
   * reaches back that far: the old graphs stay, and still answer correctly.
   */
  adopt(db: IndexDb, fresh: VectorIndex, groups: readonly string[]): boolean {
    return db.db.transaction(() => {
      if (!this.sync(db) || fresh.seq > this.seq || fresh.seq < db.logFloor()) return false;
      const only = new Set(groups);
      const { removed, added } = db.changesSince(fresh.seq);
      fresh.apply(removed.filter((r) => only.has(r.accessGroup)), inGroups(added, only));
      for (const group of groups) {
        const graph = fresh.graphs.get(group);
        if (graph) this.graphs.set(group, graph);
        else this.graphs.delete(group);
      }
      this.savedSeq = null;
      return true;
    })();
  }

  /** Why this index disagrees with SQLite's chunk count per group, or null when it agrees. */
  mismatch(db: IndexDb): string | null {
    const expected = db.chunksPerGroup();
    for (const group of new Set([...expected.keys(), ...this.graphs.keys()])) {
      const want = expected.get(group) ?? 0;
      const have = this.graphs.get(group)?.size ?? 0;
      if (want !== have) return `group ${JSON.stringify(group)} holds ${have} vectors where SQLite has ${want} chunks`;
    }
    return null;
  }

  /** Adds rows in per-group batches, so usearch can spread each large batch over its threads. */
  private addAll(rows: Iterable<VectorRow>, threads = 0): void {
    const bytes = this.dimensions * 4;
    const pending = new Map<string, VectorRow[]>();
    const flush = (group: string, batch: VectorRow[]) => {
      let graph = this.graphs.get(group);
      if (!graph) {
        graph = GroupGraph.create(this.dimensions, this.params);
        this.graphs.set(group, graph);
      }
      const keys = batch.map((r) => BigInt(r.rowid));
      // A key already present would become a duplicate: keep the stored one (keys are never reused).
      const present = graph.contains(keys);
      const fresh = batch.filter((_, i) => !present[i]);
      if (fresh.length === 0) return;
      const matrix = new Uint8Array(fresh.length * bytes);
      fresh.forEach((r, i) => matrix.set(r.vector, i * bytes));
      graph.add(
        fresh.map((r) => BigInt(r.rowid)),
        new Float32Array(matrix.buffer),
        fresh.length >= PARALLEL_ADD ? threads : 1,
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
    const groups = accessGroups ? [...new Set(accessGroups)] : [...this.graphs.keys()];
    for (const group of groups) {
      const graph = this.graphs.get(group);
      const size = graph?.size ?? 0;
      if (!graph || size === 0 || k <= 0) continue;
      out.push(...graph.search(vector, Math.min(k, size)));
    }
    return groups.length > 1 ? out.sort((a, b) => b.score - a.score).slice(0, k) : out;
  }

  /** How many vectors the given groups hold (every group when undefined). */
  sizeOf(accessGroups?: string[]): number {
    if (!accessGroups) return this.size;
    return [...new Set(accessGroups)].reduce((n, g) => n + (this.graphs.get(g)?.size ?? 0), 0);
  }

  get unsaved(): boolean {
    return this.savedSeq !== this.seq;
  }

  /**
   * Writes every non-empty graph and the manifest into `dir` (which must not exist). A mapped graph
   * that changed since needs `vectorsOf` for the vectors added meanwhile (GroupGraph.save).
   */
  writeTo(dir: string, vectorsOf?: VectorsOf): void {
    fs.mkdirSync(dir);
    const groups: GroupEntry[] = [];
    for (const [group, graph] of this.graphs) {
      if (graph.size === 0) continue;
      graph.save(path.join(dir, groupFile(group)), vectorsOf);
      groups.push(describeGroupFile(dir, group, graph.size, graph.tombstones));
    }
    writeManifest(dir, { format: 1, seq: this.seq, dimensions: this.dimensions, groups });
  }

  /**
   * Writes this index as snapshot `vectors-<seq>` (built under a temp name, then renamed: usearch's
   * save is not atomic), then tidies up after it (see `published`). `replace`: this index was rebuilt
   * from SQLite, and replaces a snapshot of the same seq (see publishSnapshot).
   */
  save(dir: string, db: IndexDb, replace = false): void {
    const tmp = `${snapshotDir(dir, this.seq)}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    this.writeTo(tmp, (rowids) => db.vectorsOf(rowids));
    publishSnapshot(tmp, snapshotDir(dir, this.seq), this.seq, this.dimensions, replace);
    this.published(dir, db);
  }

  /**
   * Records that snapshot `vectors-<seq>` holds this index, deletes older snapshots and prunes the
   * log up to the previous one, so processes between the two can still catch up by replaying it.
   */
  published(dir: string, db: IndexDb): void {
    this.savedSeq = this.seq;
    const older = listSnapshots(dir).filter((s) => s.seq < this.seq);
    for (const s of older) fs.rmSync(s.dir, { recursive: true, force: true });
    const previous = older[0]?.seq;
    if (previous !== undefined) db.pruneLog(previous);
  }
}
