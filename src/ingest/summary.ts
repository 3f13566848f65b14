import { describeFailure } from './progress.js';
import type { IngestFailure } from './failures.js';

export interface IngestSummary {
  /** Supported files found under the given paths. */
  files: number;
  /** New or changed documents written. */
  documents: number;
  /** Chunks written for those documents. */
  chunks: number;
  /** Documents already indexed with the same hash, left as they were. */
  skipped: number;
  /** Indexed documents whose file (or JSONL line) is gone from the given paths. */
  removed: number;
  /** Full re-index only: documents from other paths (or unreadable this time) re-embedded from their stored chunks. */
  carriedOver: number;
  failed: IngestFailure[];
  /** Access rules that disagreed for a document, and what was kept. */
  warnings: string[];
  seconds: number;
}

/**
 * True when the run put nothing in place: no document written or confirmed unchanged, and it was not
 * simply a clean-up of deleted files. The CLI exits non-zero on this and only on this.
 */
export function nothingIngested(s: IngestSummary): boolean {
  return s.documents + s.skipped === 0 && !(s.removed > 0 && s.failed.length === 0);
}

export function formatSummary(s: IngestSummary): string {
  const head =
    `Done in ${s.seconds.toFixed(1)} s: ${s.documents} ${plural(s.documents, 'document')} ingested ` +
    `(${s.chunks} ${plural(s.chunks, 'chunk')}), ${s.skipped} unchanged, ${s.removed} removed, ${s.failed.length} failed` +
    (s.carriedOver > 0 ? `, ${s.carriedOver} kept from other paths` : '') +
    '.';
  const lines = [head];
  if (s.failed.length > 0) lines.push('Failed:', ...s.failed.map((f) => `  ${describeFailure(f)}`));
  if (s.warnings.length > 0) lines.push('Warnings:', ...s.warnings.map((w) => `  ${w}`));
  if (nothingIngested(s)) {
    lines.push(
      s.files === 0
        ? 'Nothing was ingested: no supported files found. Check the paths and the --include/--exclude globs.'
        : 'Nothing was ingested: every file failed (see above).',
    );
  }
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
