import path from 'node:path';
import { CairnError } from '../../core/errors.js';
import { DB_FILE } from './layout.js';

/**
 * A generation database SQLite cannot read (issue 10, item 13). The user is told what happened and
 * what to run, never SQLite's own "database disk image is malformed"; `ingest --full` builds a new
 * generation without reading this one, so it can repair it.
 */

export function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

export function damagedIndex(generationDir: string, cause: unknown): CairnError {
  const what = (cause as { code?: unknown }).code === 'SQLITE_NOTADB' ? 'it is not a SQLite database' : 'SQLite found corrupt pages in it';
  return new CairnError(
    'INDEX_DAMAGED',
    `The index database ${path.join(generationDir, DB_FILE)} is damaged (${what}). Rebuild the index from your documents with ` +
      '`cairn ingest --full <paths>`: it does not read the damaged copy, and replaces it when done.',
    { cause, userMessage: 'The search index is damaged and has to be rebuilt.' },
  );
}
