import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Chunk, IndexedDocument } from '../../core/documents.js';
import { CairnError } from '../../core/errors.js';
import type { SearchFilter } from '../../core/search.js';
import type { DocumentWrite } from '../../core/store.js';
import { chunkSparseVector, type Bm25Params, type SparseVector } from './sparse.js';

/** Names of the two vectors every point carries. */
export const DENSE = 'dense';
export const SPARSE = 'bm25';

/** Payload fields Cairn filters on, each with a payload index. */
export const INDEXED_FIELDS = [
  { field_name: 'docId', field_schema: 'keyword' },
  { field_name: 'source', field_schema: 'keyword' },
  { field_name: 'sourcePrefixes', field_schema: 'keyword' },
  { field_name: 'accessGroup', field_schema: 'keyword' },
  // Document listing and stale-chunk deletes filter on it; strict-mode servers refuse unindexed filters.
  { field_name: 'chunkIndex', field_schema: 'integer' },
] as const;

/** Any fixed UUID: it namespaces Cairn's point ids (RFC 4122 name-based, version 5). */
const ID_NAMESPACE = Buffer.from('6f1d3c0e9a7b4c52b1e4a8d27c3f5e90', 'hex');

/** Qdrant ids are unsigned ints or UUIDs; chunk ids are paths, so each maps to a UUIDv5 of itself. */
export function pointId(chunkId: string): string {
  const hash = createHash('sha1').update(ID_NAMESPACE).update(chunkId, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Drops trailing slashes so "docs/hr/" and "docs/hr" name the same folder. */
export function normalizeSource(source: string): string {
  const trimmed = source.replace(/\/+$/, '');
  return trimmed.length > 0 ? trimmed : source;
}

/**
 * Every ancestor folder of a source ("docs/hr/leave.md" → "docs", "docs/hr"). Qdrant's keyword match
 * has no prefix form, so a folder delete matches this array exactly instead.
 */
export function sourcePrefixes(source: string): string[] {
  const out: string[] = [];
  for (let i = source.indexOf('/', 1); i > 0; i = source.indexOf('/', i + 1)) {
    const prefix = source.slice(0, i);
    if (!prefix.endsWith('/')) out.push(prefix);
  }
  return out;
}

export interface QdrantPoint {
  id: string;
  vector: { [DENSE]: number[]; [SPARSE]: SparseVector };
  payload: Record<string, unknown>;
}

/** Payload = every Chunk field, the document's own fields under `document`, and the source's folders. */
export function toPoints(write: DocumentWrite, indexedAt: string, bm25: Bm25Params): QdrantPoint[] {
  if (write.vectors.length !== write.chunks.length) {
    throw new CairnError('INPUT', `Document ${write.document.docId} has ${write.chunks.length} chunks but ${write.vectors.length} vectors.`);
  }
  const document = { ...write.document, indexedAt };
  return write.chunks.map((chunk, i) => ({
    id: pointId(chunk.id),
    vector: { [DENSE]: Array.from(write.vectors[i]!), [SPARSE]: chunkSparseVector(chunk, bm25) },
    payload: { ...chunk, document, sourcePrefixes: sourcePrefixes(chunk.source) },
  }));
}

const ChunkPayload = z.object({
  id: z.string(),
  docId: z.string(),
  source: z.string(),
  url: z.string().optional(),
  title: z.string(),
  headingPath: z.array(z.string()),
  chunkIndex: z.number().int(),
  totalChunks: z.number().int(),
  contentHash: z.string(),
  accessGroup: z.string(),
  text: z.string(),
});

const DocumentPayload = z.object({
  totalChunks: z.number().int(),
  document: z.object({
    docId: z.string(),
    source: z.string(),
    title: z.string(),
    hash: z.string(),
    accessGroup: z.string(),
    indexedAt: z.string(),
  }),
});

/** The fields `listDocuments` reads, so scrolling does not haul chunk text. */
export const DOCUMENT_FIELDS = ['totalChunks', 'document'];

function parse<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new CairnError('STORE_UNAVAILABLE', `A Qdrant point has no valid ${what} payload (${parsed.error.issues[0]?.message}); the collection was not written by this version of Cairn — run a full re-index.`);
  }
  return parsed.data;
}

export function toChunk(payload: unknown): Chunk {
  const { url, ...rest } = parse(ChunkPayload, payload, 'chunk');
  return url === undefined ? rest : { ...rest, url };
}

export function toIndexedDocument(payload: unknown): IndexedDocument {
  const { totalChunks, document } = parse(DocumentPayload, payload, 'document');
  return { ...document, chunks: totalChunks };
}

type Condition = Record<string, unknown>;
export type QdrantFilter = { must?: Condition[]; should?: Condition[] };

const matchAny = (key: string, values: string[]): Condition => ({ key, match: { any: values } });

/**
 * The Qdrant filter for a SearchFilter, or `null` when it can match nothing (an empty allow-list),
 * so callers answer [] without asking the server.
 */
export function toQdrantFilter(filter: SearchFilter | undefined): QdrantFilter | undefined | null {
  const must: Condition[] = [];
  if (filter?.accessGroups) {
    if (filter.accessGroups.length === 0) return null;
    must.push(matchAny('accessGroup', filter.accessGroups));
  }
  if (filter?.sources) {
    if (filter.sources.length === 0) return null;
    must.push(matchAny('source', filter.sources));
  }
  return must.length > 0 ? { must } : undefined;
}

/** A file itself, or everything under it when it is a folder. */
export function sourceFilter(source: string): QdrantFilter {
  const s = normalizeSource(source);
  return { should: [{ key: 'source', match: { value: s } }, { key: 'sourcePrefixes', match: { value: s } }] };
}

/** One point per document: its first chunk. */
export function firstChunks(filter?: QdrantFilter): QdrantFilter {
  return { must: [{ key: 'chunkIndex', match: { value: 0 } }, ...(filter ? [filter] : [])] };
}
