import path from 'node:path';
import type { SourceDocument } from '../../core/documents.js';
import { CHUNKER_VERSION, sha256, type ChunkSettings } from '../chunker.js';
import { InputRejected } from '../failures.js';

/** What every loader needs besides the file itself. */
export interface LoadContext {
  /** The group a document gets unless its own metadata names one. */
  accessGroup: string;
  chunking: ChunkSettings;
}

const GROUP_NAME = /^[\w.-]+$/;

/**
 * Completes a document with its hash: everything that changes the stored chunks is in it, so an edit,
 * a new title or access group, or a change of CHUNK_SIZE/CHUNK_OVERLAP re-chunks the document.
 */
export function buildDocument(fields: Omit<SourceDocument, 'hash'>, chunking: ChunkSettings): SourceDocument {
  const hash = sha256(
    JSON.stringify([CHUNKER_VERSION, chunking.chunkSize, chunking.chunkOverlap, fields.id, fields.source, fields.url ?? null, fields.title, fields.format, fields.accessGroup, fields.text]),
  );
  return { ...fields, hash };
}

/** A document's own access group (front matter or a JSONL field) overrides the run's default. */
export function accessGroupFrom(override: unknown, fallback: string): string {
  if (override === undefined || override === null || override === '') return fallback;
  if (typeof override !== 'string' || !GROUP_NAME.test(override)) {
    throw new InputRejected('invalid', `access_group ${JSON.stringify(override)} is not a group name (letters, digits, "_", "." or "-")`);
  }
  return override;
}

/** `docs/hr/leave-policy.md` → `leave-policy` */
export function titleFromFileName(filePath: string): string {
  return path.basename(filePath, path.extname(filePath));
}
