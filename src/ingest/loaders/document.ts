import path from 'node:path';
import type { SourceDocument } from '../../core/documents.js';
import { CHUNKER_VERSION, sha256, type ChunkSettings } from '../chunker.js';
import { InputRejected } from '../failures.js';

/** What every loader needs besides the file itself. */
export interface LoadContext {
  chunking: ChunkSettings;
}

const GROUP_NAME = /^[\w.-]+$/;

/**
 * Completes a document with its hash: everything in the document that changes the stored chunks is in
 * it, so an edit, a new title or a change of CHUNK_SIZE/CHUNK_OVERLAP re-chunks the document. The
 * access group is compared on its own: it is resolved after reading (see access-groups.ts).
 */
export function buildDocument(fields: Omit<SourceDocument, 'hash'>, chunking: ChunkSettings): SourceDocument {
  const hash = sha256(
    JSON.stringify([CHUNKER_VERSION, chunking.chunkSize, chunking.chunkOverlap, fields.id, fields.source, fields.url ?? null, fields.title, fields.format, fields.text]),
  );
  return { ...fields, hash };
}

/** A document's own access group (front matter or a JSONL field), checked; undefined when it names none. */
export function declaredGroup(value: unknown): { declaredAccessGroup?: string } {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'string' || !GROUP_NAME.test(value)) {
    throw new InputRejected('invalid', `access_group ${JSON.stringify(value)} is not a group name (letters, digits, "_", "." or "-")`);
  }
  return { declaredAccessGroup: value };
}

/** `docs/hr/leave-policy.md` → `leave-policy` */
export function titleFromFileName(filePath: string): string {
  return path.basename(filePath, path.extname(filePath));
}
