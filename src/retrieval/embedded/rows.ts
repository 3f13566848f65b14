import type { Chunk } from '../../core/documents.js';

/** Row shapes of the generation database and their mapping to core types. */

export interface VectorRow {
  rowid: number;
  accessGroup: string;
  vector: Buffer;
}

export interface ChunkRow {
  rowid: number;
  id: string;
  doc_id: string;
  source: string;
  url: string | null;
  title: string;
  heading_path: string;
  chunk_index: number;
  total_chunks: number;
  content_hash: string;
  access_group: string;
  text: string;
}

export const CHUNK_COLUMNS =
  'c.rowid AS rowid, c.id AS id, c.doc_id AS doc_id, c.source AS source, c.url AS url, c.title AS title, c.heading_path AS heading_path, ' +
  'c.chunk_index AS chunk_index, c.total_chunks AS total_chunks, c.content_hash AS content_hash, c.access_group AS access_group, t.text AS text';
export const CHUNKS_WITH_TEXT = 'chunks c JOIN chunk_text t ON t.rowid = c.rowid';

export function toChunk(r: ChunkRow): Chunk {
  return {
    id: r.id,
    docId: r.doc_id,
    source: r.source,
    ...(r.url !== null ? { url: r.url } : {}),
    title: r.title,
    headingPath: JSON.parse(r.heading_path) as string[],
    chunkIndex: r.chunk_index,
    totalChunks: r.total_chunks,
    contentHash: r.content_hash,
    accessGroup: r.access_group,
    text: r.text,
  };
}

export function blobToVector(blob: Buffer): Float32Array {
  // Copy: a Buffer from SQLite need not be 4-byte aligned.
  return new Float32Array(new Uint8Array(blob).buffer);
}
