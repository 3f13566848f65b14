import type { QdrantClient } from '@qdrant/js-client-rest';
import type { DocumentWrite } from '../../core/store.js';
import { toPoints } from './points.js';
import type { Bm25Params } from './sparse.js';

/** Keeps each request well under Qdrant's 32 MB body limit even with 3,072-d vectors. */
const UPSERT_BATCH = 128;

/**
 * Writes a document's chunks, then deletes the ones past its new end. Point ids derive from chunk ids,
 * so rewritten chunks overwrite in place and a reader never sees the document missing half-way.
 */
export async function writeDocument(client: QdrantClient, collection: string, write: DocumentWrite, bm25: Bm25Params): Promise<void> {
  const points = toPoints(write, new Date().toISOString(), bm25);
  for (let i = 0; i < points.length; i += UPSERT_BATCH) {
    await client.upsert(collection, { wait: true, points: points.slice(i, i + UPSERT_BATCH) });
  }
  await client.delete(collection, {
    wait: true,
    filter: {
      must: [
        { key: 'docId', match: { value: write.document.docId } },
        { key: 'chunkIndex', range: { gte: points.length } },
      ],
    },
  });
}
