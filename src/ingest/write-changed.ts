import type { GroupedDocument, IndexedDocument } from '../core/documents.js';
import type { Embedder } from '../core/embedder.js';
import type { VectorStore } from '../core/store.js';
import { chunkDocument, type ChunkSettings } from './chunker.js';
import { embedAndWrite, type WriteUnit } from './embed-write.js';
import type { IngestFailure } from './failures.js';
import type { IngestProgress } from './progress.js';
import { turnTaker } from './turns.js';

export interface WriteSettings {
  chunking: ChunkSettings;
  /** Chunks per embedding call. */
  batchSize: number;
  signal?: AbortSignal;
}

export interface WriteCounts {
  /** Documents chunked, embedded and written. */
  documents: number;
  chunks: number;
  /** Documents stored with the same hash and group, left as they were. */
  skipped: number;
}

/**
 * The write half of every ingest (`cairn ingest` and the sources' sync engine): documents whose hash or
 * access group differ from the stored copy are chunked, embedded and upserted; the others are left as
 * they are, so nothing unchanged is ever embedded again. Empty documents are added to `failures`.
 */
export async function writeChanged(
  docs: GroupedDocument[],
  stored: ReadonlyMap<string, IndexedDocument>,
  deps: { store: VectorStore; embedder: Embedder; progress: IngestProgress },
  settings: WriteSettings,
  failures: IngestFailure[],
): Promise<WriteCounts> {
  const { store, embedder, progress } = deps;
  const changed = docs.filter((d) => stored.get(d.id)?.hash !== d.hash || stored.get(d.id)?.accessGroup !== d.accessGroup);
  const units = await chunkAll(changed, settings.chunking, failures, progress);
  const embedderInfo = { id: embedder.id, dimensions: embedder.dimensions };
  const chunks = await embedAndWrite(units, (doc) => store.upsertDocument(doc, embedderInfo), embedder, progress, settings);
  return { documents: units.length, chunks, skipped: docs.length - changed.length };
}

/** Chunks documents; one that yields no chunk (headings only) is reported as empty. */
export async function chunkAll(docs: GroupedDocument[], chunking: ChunkSettings, failures: IngestFailure[], progress: IngestProgress): Promise<WriteUnit[]> {
  const units: WriteUnit[] = [];
  const takeTurn = turnTaker();
  for (const doc of docs) {
    await takeTurn();
    const chunks = await chunkDocument(doc, chunking);
    if (chunks.length === 0) {
      const failure: IngestFailure = { source: doc.source, reason: 'empty', detail: 'no text besides headings' };
      failures.push(failure);
      progress.failed(failure);
      continue;
    }
    units.push({ document: { docId: doc.id, source: doc.source, title: doc.title, hash: doc.hash, accessGroup: doc.accessGroup }, chunks });
  }
  return units;
}
