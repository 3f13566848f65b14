import { setImmediate as nextTurn } from 'node:timers/promises';
import { indexText, type Chunk } from '../core/documents.js';
import type { Embedder } from '../core/embedder.js';
import { CairnError } from '../core/errors.js';
import type { DocumentWrite } from '../core/store.js';
import type { IngestProgress } from './progress.js';

/** A document ready to embed: its store record and its chunks. */
export interface WriteUnit {
  document: DocumentWrite['document'];
  chunks: Chunk[];
}

export interface EmbedWriteOptions {
  /** Chunks per embedding call (whole documents are never split across calls). */
  batchSize: number;
  signal?: AbortSignal;
}

/**
 * Embeds documents in batches and writes each batch as soon as its vectors are back, so a run that
 * dies half-way keeps what it wrote (the next run skips it by hash) and memory holds one batch of
 * vectors. Between batches it yields to the event loop: the offline embedder is CPU-bound (~100 ms a
 * chunk) and a server re-indexing in-process must keep answering. Returns how many chunks were written.
 */
export async function embedAndWrite(
  units: WriteUnit[],
  write: (doc: DocumentWrite) => Promise<void>,
  embedder: Embedder,
  progress: IngestProgress,
  options: EmbedWriteOptions,
): Promise<number> {
  if (units.length === 0) return 0;
  progress.start('embedding', units.reduce((n, u) => n + u.chunks.length, 0));
  progress.start('writing', units.length);
  let embedded = 0;
  let written = 0;
  for (const batch of batches(units, options.batchSize)) {
    await nextTurn();
    if (options.signal?.aborted) {
      throw new CairnError('INGEST', `Ingest cancelled after ${written} of ${units.length} documents; what was written is kept.`);
    }
    const texts = batch.flatMap((u) => u.chunks.map((c) => indexText(c)));
    const base = embedded;
    const vectors = await embedder.embedDocuments(texts, (done) => progress.update('embedding', base + done));
    checkVectors(vectors, texts.length, embedder);
    embedded += texts.length;
    progress.update('embedding', embedded);
    let offset = 0;
    for (const unit of batch) {
      await write({ document: unit.document, chunks: unit.chunks, vectors: vectors.slice(offset, offset + unit.chunks.length) });
      offset += unit.chunks.length;
      progress.update('writing', ++written);
    }
  }
  return embedded;
}

function* batches(units: WriteUnit[], batchSize: number): Generator<WriteUnit[]> {
  let batch: WriteUnit[] = [];
  let size = 0;
  for (const unit of units) {
    if (size > 0 && size + unit.chunks.length > batchSize) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(unit);
    size += unit.chunks.length;
  }
  if (batch.length > 0) yield batch;
}

function checkVectors(vectors: Float32Array[], expected: number, embedder: Embedder): void {
  const wrong = vectors.length !== expected ? `${vectors.length} vectors for ${expected} texts` : vectors.find((v) => v.length !== embedder.dimensions) ? `a vector that is not ${embedder.dimensions}-d` : '';
  if (wrong) throw new CairnError('INTERNAL', `Embedder ${embedder.id} returned ${wrong}; the index was not changed for this batch.`);
}
