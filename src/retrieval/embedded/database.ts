import type Database from 'better-sqlite3';
import type { Chunk, IndexedDocument } from '../../core/documents.js';
import { CairnError } from '../../core/errors.js';
import type { SearchFilter } from '../../core/search.js';
import type { EmbedderStamp } from './embedder-stamp.js';
import { blobToVector, CHUNK_COLUMNS, CHUNKS_WITH_TEXT, toChunk, type ChunkRow, type VectorRow } from './rows.js';
import { SCHEMA_VERSION } from './schema.js';

/** `c.access_group IN (…) AND c.source IN (…)` for the parts of the filter that are set. */
export function filterClause(filter: SearchFilter | undefined, alias: string): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (filter?.accessGroups) {
    parts.push(`${alias}.access_group IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(filter.accessGroups));
  }
  if (filter?.sources) {
    parts.push(`${alias}.source IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(filter.sources));
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1', params };
}

/**
 * Typed reads over one generation's SQLite file, plus the statement cache and metadata that the
 * write (writes.ts) and BM25 (sparse.ts) modules build on. Synchronous: better-sqlite3 is.
 */
export class IndexDb {
  private readonly statements = new Map<string, Database.Statement>();
  private groupCounts: { seq: number; counts: Map<string, number>; total: number } | undefined;

  constructor(readonly db: Database.Database) {
    const version = this.meta('schema_version');
    if (version !== SCHEMA_VERSION) {
      throw new CairnError('STORE_UNAVAILABLE', `The index at ${db.name} has schema version ${version ?? 'none'}, expected ${SCHEMA_VERSION}: re-index with \`cairn ingest --full <paths>\`.`);
    }
    // Per-connection view of the FTS5 vocabulary: how many rows hold each token, for query planning.
    db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_vocab USING fts5vocab(main, chunks_fts, 'row')");
  }

  /** A prepared statement, cached per SQL text. */
  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  meta(key: string): string | undefined {
    return this.stmt('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The embedder that built the index; null while it holds no documents. */
  embedder(): EmbedderStamp | null {
    const id = this.meta('embedder_id');
    if (id === undefined || this.documentCount() === 0) return null;
    return { id, dimensions: Number(this.meta('embedder_dimensions')) };
  }

  /** Bumped by every write that adds or removes a vector. */
  vectorsSeq(): number {
    return Number(this.meta('vectors_seq'));
  }

  /** Changes up to this seq have been pruned from the log. */
  logFloor(): number {
    return Number(this.meta('log_floor') ?? 0);
  }

  documentCount(): number {
    return this.stmt('SELECT count(*) FROM documents').pluck().get() as number;
  }

  info(): { documents: number; chunks: number; updatedAt: string | null } {
    return {
      documents: this.documentCount(),
      chunks: this.stmt('SELECT count(*) FROM chunks').pluck().get() as number,
      updatedAt: this.meta('updated_at') ?? null,
    };
  }

  listDocuments(): IndexedDocument[] {
    const rows = this.stmt('SELECT doc_id, source, title, hash, access_group, chunks, indexed_at FROM documents ORDER BY doc_id').all() as Array<{
      doc_id: string;
      source: string;
      title: string;
      hash: string;
      access_group: string;
      chunks: number;
      indexed_at: string;
    }>;
    return rows.map((r) => ({ docId: r.doc_id, source: r.source, title: r.title, hash: r.hash, accessGroup: r.access_group, chunks: r.chunks, indexedAt: r.indexed_at }));
  }

  /** Merges the keyword index into one segment: every query term is otherwise looked up in each segment a build left. */
  optimizeKeywordIndex(): void {
    this.db.exec("INSERT INTO chunks_fts(chunks_fts) VALUES('optimize')");
  }

  /** Which of `rowids` exist and pass the filter. */
  allowed(rowids: number[], filter?: SearchFilter): Set<number> {
    const f = filterClause(filter, 'c');
    const sql = `SELECT c.rowid FROM chunks c WHERE c.rowid IN (SELECT value FROM json_each(?)) AND ${f.sql}`;
    return new Set(this.stmt(sql).pluck().all(JSON.stringify(rowids), ...f.params) as number[]);
  }

  /** Chunks per access group and in all, cached until the next write. */
  private groupStats(): { counts: Map<string, number>; total: number } {
    const seq = this.vectorsSeq();
    if (this.groupCounts?.seq !== seq) {
      const rows = this.stmt('SELECT access_group AS g, count(*) AS n FROM chunks GROUP BY access_group').all() as Array<{ g: string; n: number }>;
      this.groupCounts = { seq, counts: new Map(rows.map((r) => [r.g, r.n])), total: rows.reduce((t, r) => t + r.n, 0) };
    }
    return this.groupCounts;
  }

  chunkCount(): number {
    return this.groupStats().total;
  }

  /** Chunks per access group (every chunk has a vector). */
  chunksPerGroup(): ReadonlyMap<string, number> {
    return this.groupStats().counts;
  }

  /** The share of chunks an access-group filter lets through; null when it also names sources (not cached). */
  passRate(filter: SearchFilter): number | null {
    if (filter.sources) return null;
    const { counts, total } = this.groupStats();
    if (total === 0) return 0;
    if (!filter.accessGroups) return 1;
    return [...new Set(filter.accessGroups)].reduce((n, g) => n + (counts.get(g) ?? 0), 0) / total;
  }

  countAllowed(filter?: SearchFilter): number {
    const f = filterClause(filter, 'c');
    return this.stmt(`SELECT count(*) FROM chunks c WHERE ${f.sql}`).pluck().get(...f.params) as number;
  }

  /** Every chunk passing the filter with its access group and raw vector, for bulk loading and exact scans. */
  vectors(filter?: SearchFilter): IterableIterator<VectorRow> {
    const f = filterClause(filter, 'c');
    return this.stmt(
      `SELECT c.rowid AS rowid, c.access_group AS accessGroup, v.vector AS vector FROM chunks c JOIN chunk_vectors v ON v.rowid = c.rowid WHERE ${f.sql}`,
    ).iterate(...f.params) as IterableIterator<VectorRow>;
  }

  vectorsOf(rowids: number[]): Map<number, Float32Array> {
    const rows = this.stmt('SELECT rowid, vector FROM chunk_vectors WHERE rowid IN (SELECT value FROM json_each(?))').all(JSON.stringify(rowids)) as Array<{
      rowid: number;
      vector: Buffer;
    }>;
    return new Map(rows.map((r) => [r.rowid, blobToVector(r.vector)]));
  }

  chunksByRowid(rowids: number[]): Map<number, Chunk> {
    const rows = this.stmt(`SELECT ${CHUNK_COLUMNS} FROM ${CHUNKS_WITH_TEXT} WHERE c.rowid IN (SELECT value FROM json_each(?))`).all(JSON.stringify(rowids)) as ChunkRow[];
    return new Map(rows.map((r) => [r.rowid, toChunk(r)]));
  }

  chunksById(ids: string[]): Chunk[] {
    const rows = this.stmt(`SELECT ${CHUNK_COLUMNS} FROM ${CHUNKS_WITH_TEXT} WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as ChunkRow[];
    const byId = new Map(rows.map((r) => [r.id, toChunk(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Keys removed, and keys added (with vectors, if the chunk still exists), after `seq`. */
  changesSince(seq: number): { removed: Array<{ rowid: number; accessGroup: string }>; added: IterableIterator<VectorRow> } {
    const removed = this.stmt('SELECT chunk_rowid AS rowid, access_group AS accessGroup FROM vector_changes WHERE seq > ? AND added = 0').all(seq) as Array<{
      rowid: number;
      accessGroup: string;
    }>;
    const added = this.stmt(
      'SELECT v.chunk_rowid AS rowid, v.access_group AS accessGroup, cv.vector AS vector FROM vector_changes v JOIN chunk_vectors cv ON cv.rowid = v.chunk_rowid WHERE v.seq > ? AND v.added = 1',
    ).iterate(seq) as IterableIterator<VectorRow>;
    return { removed, added };
  }

  /** Drops log entries up to `seq`: readers behind it reload a snapshot instead. */
  pruneLog(seq: number): void {
    if (seq <= this.logFloor()) return;
    this.db.transaction(() => {
      this.stmt('DELETE FROM vector_changes WHERE seq <= ?').run(seq);
      this.setMeta('log_floor', String(seq));
    })();
  }

  close(): void {
    this.db.close();
  }
}
