import { indexText } from '../../core/documents.js';
import { CairnError } from '../../core/errors.js';
import type { DocumentWrite } from '../../core/store.js';
import type { IndexDb } from './database.js';
import { groupToken, KEYWORD_INSERT } from './keyword-table.js';
import { assertSameEmbedder, type EmbedderStamp } from './embedder-stamp.js';

/**
 * Writes to a generation. Every chunk added or removed is logged in `vector_changes` under the
 * next `vectors_seq`, in the same transaction, so HNSW indexes in any process can replay it.
 */

/** Replaces the document and all its chunks in one transaction; refuses another embedder's vectors. */
export function writeDocument(db: IndexDb, write: DocumentWrite, embedder: EmbedderStamp): void {
  db.db.transaction(() => {
    assertSameEmbedder(db.embedder(), embedder);
    checkVectors(write, embedder);
    db.setMeta('embedder_id', embedder.id);
    db.setMeta('embedder_dimensions', String(embedder.dimensions));
    let seq = db.vectorsSeq();
    seq = removeDocument(db, write.document.docId, seq);
    const now = new Date().toISOString();
    const d = write.document;
    db.stmt('INSERT INTO documents (doc_id, source, title, hash, access_group, chunks, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      d.docId, d.source, d.title, d.hash, d.accessGroup, write.chunks.length, now,
    );
    const insertChunk = db.stmt(
      'INSERT INTO chunks (id, doc_id, source, access_group, url, title, heading_path, chunk_index, total_chunks, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertText = db.stmt('INSERT INTO chunk_text (rowid, text) VALUES (?, ?)');
    const insertVector = db.stmt('INSERT INTO chunk_vectors (rowid, vector) VALUES (?, ?)');
    const insertFts = db.stmt(KEYWORD_INSERT);
    const log = db.stmt('INSERT INTO vector_changes (seq, chunk_rowid, access_group, added) VALUES (?, ?, ?, 1)');
    write.chunks.forEach((c, i) => {
      const v = write.vectors[i]!;
      const { lastInsertRowid: rowid } = insertChunk.run(
        c.id, c.docId, c.source, c.accessGroup, c.url ?? null, c.title, JSON.stringify(c.headingPath), c.chunkIndex, c.totalChunks, c.contentHash,
      );
      insertText.run(rowid, c.text);
      insertVector.run(rowid, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
      insertFts.run(rowid, indexText(c), groupToken(c.accessGroup));
      log.run(++seq, rowid, c.accessGroup);
    });
    finishWrite(db, seq, now);
  })();
}

/** One vector per chunk, each of the embedder's dimensions. */
export function checkVectors(write: DocumentWrite, embedder: EmbedderStamp): void {
  if (write.vectors.length !== write.chunks.length) {
    throw new CairnError('INPUT', `Document ${write.document.docId}: ${write.chunks.length} chunks but ${write.vectors.length} vectors.`);
  }
  const bad = write.vectors.find((v) => v.length !== embedder.dimensions);
  if (bad) throw new CairnError('INPUT', `Document ${write.document.docId}: a ${bad.length}-d vector where ${embedder.id} gives ${embedder.dimensions}-d.`);
}

export function deleteDocuments(db: IndexDb, docIds: string[]): number {
  return db.db.transaction(() => {
    let seq = db.vectorsSeq();
    let removed = 0;
    for (const docId of docIds) {
      if (db.stmt('SELECT 1 FROM documents WHERE doc_id = ?').get(docId) === undefined) continue;
      seq = removeDocument(db, docId, seq);
      removed++;
    }
    if (removed > 0) finishWrite(db, seq, new Date().toISOString());
    return removed;
  })();
}

/** Documents whose source is `source` or lies under it as a folder (a `/` boundary). */
export function documentsUnder(db: IndexDb, source: string): string[] {
  const base = source.replace(/\/+$/, '');
  // '0' is the character after '/', so [base/, base0) is exactly "starts with base/".
  return db.stmt('SELECT doc_id FROM documents WHERE source = ? OR source = ? OR (source >= ? AND source < ?)')
    .pluck()
    .all(source, base, `${base}/`, `${base}0`) as string[];
}

function removeDocument(db: IndexDb, docId: string, seq: number): number {
  const rows = db.stmt('SELECT rowid, access_group FROM chunks WHERE doc_id = ?').all(docId) as Array<{ rowid: number; access_group: string }>;
  const log = db.stmt('INSERT INTO vector_changes (seq, chunk_rowid, access_group, added) VALUES (?, ?, ?, 0)');
  for (const { rowid, access_group } of rows) {
    db.stmt('DELETE FROM chunks_fts WHERE rowid = ?').run(rowid);
    db.stmt('DELETE FROM chunk_text WHERE rowid = ?').run(rowid);
    db.stmt('DELETE FROM chunk_vectors WHERE rowid = ?').run(rowid);
    log.run(++seq, rowid, access_group);
  }
  db.stmt('DELETE FROM chunks WHERE doc_id = ?').run(docId);
  db.stmt('DELETE FROM documents WHERE doc_id = ?').run(docId);
  return seq;
}

function finishWrite(db: IndexDb, seq: number, now: string): void {
  db.setMeta('vectors_seq', String(seq));
  db.setMeta('updated_at', now);
}
