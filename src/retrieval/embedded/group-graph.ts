import { Index, MetricKind, ScalarKind } from 'usearch';
import type { Ranked } from '../fusion.js';
import { UnusableSnapshot, type GroupEntry } from './snapshot.js';

export interface HnswParams {
  /** M: links per node. */
  connectivity: number;
  /** ef at build time. */
  expansionAdd: number;
  /** ef at query time (usearch uses k instead when k is larger). */
  expansionSearch: number;
}

export const DEFAULT_HNSW: HnswParams = { connectivity: 16, expansionAdd: 128, expansionSearch: 64 };

/** Reads the stored vectors of chunks by rowid (SQLite's `chunk_vectors`). */
export type VectorsOf = (rowids: number[]) => Map<number, Float32Array>;

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

/** A snapshot file served through usearch's `view`, and what has changed since, which the file cannot take. */
interface Mapped {
  index: Index;
  /** Keys of the file hidden from results: removed since it was mapped. */
  removed: Set<number>;
  /** Keys added since, held by the overlay graph (`GroupGraph.own`). */
  added: Set<number>;
  /** Removed slots the file itself holds. */
  deadSlots: number;
}

/**
 * One access group's HNSW graph. Either built in memory, or a snapshot file memory-mapped with
 * usearch's `view`. usearch's `load` copies the whole file onto the heap on the calling thread and
 * holds it for as long as that takes (hundreds of milliseconds for 95k 512-d vectors on a busy
 * 2-core machine, see docs/operations.md); `view` only maps the file and indexes its keys, which
 * is why a process answering questions can swap to a new generation without stalling. A mapped
 * file is read-only, so writes go to an overlay: removed keys are filtered out of its results,
 * added vectors go to a small in-memory graph searched alongside. Saving folds the overlay into
 * a real copy of the graph.
 */
export class GroupGraph {
  private constructor(
    private readonly dimensions: number,
    private readonly params: HnswParams,
    /** The whole graph, or the overlay's additions when `mapped`; created on the first add. */
    private own: Index | null,
    private mapped: Mapped | null,
    /** Removed slots in `own` not yet reused (usearch fills them first on the next adds). */
    private ownTombstones: number,
  ) {}

  static create(dimensions: number, params: HnswParams): GroupGraph {
    return new GroupGraph(dimensions, params, createIndex(dimensions, params), null, 0);
  }

  /** Maps a snapshot file that matched `entry`'s checksum; throws UnusableSnapshot if usearch sees something else in it. */
  static view(file: string, entry: GroupEntry, dimensions: number, params: HnswParams): GroupGraph {
    const index = createIndex(dimensions, params);
    index.view(file);
    if (index.dimensions() !== dimensions || index.size() !== entry.vectors) {
      throw new UnusableSnapshot(`${entry.file} mapped as ${index.size()} ${index.dimensions()}-d vectors, the manifest says ${entry.vectors}`);
    }
    return new GroupGraph(dimensions, params, null, { index, removed: new Set(), added: new Set(), deadSlots: entry.tombstones }, 0);
  }

  /** Whether this graph is served from a mapped file (true until it is saved). */
  get isMapped(): boolean {
    return this.mapped !== null;
  }

  get size(): number {
    const own = this.own?.size() ?? 0;
    return this.mapped ? this.mapped.index.size() - this.mapped.removed.size + own : own;
  }

  /** Removed slots the graph still walks through (see COMPACT_SHARE in vector-index.ts). */
  get tombstones(): number {
    return this.ownTombstones + (this.mapped ? this.mapped.deadSlots + this.mapped.removed.size : 0);
  }

  contains(keys: bigint[]): boolean[] {
    const own = this.own ? (this.own.contains(keys) as boolean[]) : keys.map(() => false);
    const m = this.mapped;
    if (!m) return own;
    const inFile = m.index.contains(keys) as boolean[];
    return keys.map((key, i) => own[i]! || (inFile[i]! && !m.removed.has(Number(key))));
  }

  /** Removes one key; false when the graph does not hold it. */
  remove(key: number): boolean {
    if (this.own && (this.own.remove(BigInt(key)) as number) > 0) {
      this.ownTombstones++;
      this.mapped?.added.delete(key);
      return true;
    }
    const m = this.mapped;
    if (!m || m.removed.has(key) || !(m.index.contains(BigInt(key)) as boolean)) return false;
    m.removed.add(key);
    return true;
  }

  /** Adds vectors (`matrix`: one row per key) none of which the graph holds. */
  add(keys: bigint[], matrix: Float32Array, threads: number): void {
    this.own ??= createIndex(this.dimensions, this.params);
    this.own.add(keys, matrix, threads);
    if (this.mapped) for (const key of keys) this.mapped.added.add(Number(key));
    // usearch puts new vectors into removed slots first.
    this.ownTombstones = Math.max(0, this.ownTombstones - keys.length);
  }

  /** The k nearest keys by cosine similarity, best first. */
  search(vector: Float32Array, k: number): Array<Ranked<number>> {
    const out = this.mapped ? this.searchMapped(this.mapped, vector, k) : [];
    const ownSize = this.own?.size() ?? 0;
    if (ownSize > 0) out.push(...hits(this.own!, vector, Math.min(k, ownSize)));
    return this.mapped && ownSize > 0 ? out.sort((a, b) => b.score - a.score).slice(0, k) : out;
  }

  /** The file's nearest keys that were not removed since: asks for more while removed ones crowd out k. */
  private searchMapped(m: Mapped, vector: Float32Array, k: number): Array<Ranked<number>> {
    const slots = m.index.size();
    if (slots - m.removed.size <= 0) return [];
    let want = Math.min(slots, k + Math.min(m.removed.size, k));
    for (;;) {
      const found = hits(m.index, vector, want);
      const kept = m.removed.size > 0 ? found.filter((h) => !m.removed.has(h.id)) : found;
      if (kept.length >= k || want >= slots) return kept.slice(0, k);
      want = Math.min(slots, want * 4);
    }
  }

  /**
   * Writes the graph to `file`. A mapped graph with changes is first made whole: the mapping is
   * written out (not its file, which a newer generation may have deleted already), loaded for real (this holds the thread; it happens when a process saves its
   * snapshot on close), and the overlay's removals and additions applied, the additions' vectors
   * read with `vectorsOf`. The graph then serves that copy.
   */
  save(file: string, vectorsOf?: VectorsOf): void {
    const m = this.mapped;
    if (!m) {
      this.own!.save(file);
      return;
    }
    m.index.save(file);
    if (m.removed.size === 0 && m.added.size === 0) return;
    if (!vectorsOf) throw new Error('saving a mapped HNSW graph with changes needs the stored vectors');
    const whole = createIndex(this.dimensions, this.params);
    whole.load(file);
    if (m.removed.size > 0) whole.remove(BigUint64Array.from(m.removed, BigInt));
    const added = [...m.added];
    if (added.length > 0) {
      const vectors = vectorsOf(added);
      const matrix = new Float32Array(added.length * this.dimensions);
      added.forEach((key, i) => {
        const v = vectors.get(key);
        if (!v) throw new Error(`chunk ${key} is in the HNSW overlay but its vector is no longer stored`);
        matrix.set(v, i * this.dimensions);
      });
      whole.add(BigUint64Array.from(added, BigInt), matrix, 0);
    }
    whole.save(file);
    this.ownTombstones = Math.max(0, m.deadSlots + m.removed.size - added.length);
    this.own = whole;
    this.mapped = null;
  }
}

function hits(index: Index, vector: Float32Array, k: number): Array<Ranked<number>> {
  const m = index.search(vector, k, 1);
  const out: Array<Ranked<number>> = [];
  for (let i = 0; i < m.keys.length; i++) out.push({ id: Number(m.keys[i]), score: 1 - m.distances[i]! });
  return out;
}
