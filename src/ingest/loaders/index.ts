import type { SourceDocument } from '../../core/documents.js';
import type { DiscoveredFile } from '../discover.js';
import { toFailure, type IngestFailure } from '../failures.js';
import { readBytes, readText } from '../validate.js';
import type { LoadContext } from './document.js';
import { loadHtml } from './html.js';
import { loadJsonl } from './jsonl.js';
import { loadMarkdown } from './markdown.js';
import { loadPdf } from './pdf.js';
import { loadText } from './text.js';

export type { LoadContext } from './document.js';

export interface LoadResult {
  documents: SourceDocument[];
  failures: IngestFailure[];
  /**
   * What this file still stands for although it could not be read this time, so the documents already
   * indexed for it are kept: ids of rejected JSONL lines, and the whole file's source (its documents
   * are that source or `source#id`) when the file itself failed.
   */
  keep: { docIds: string[]; sources: string[] };
}

/** Validates, reads and parses one file. Never throws for a bad file: it comes back as a failure. */
export async function loadFile(file: DiscoveredFile, ctx: LoadContext & { maxFileBytes: number }): Promise<LoadResult> {
  try {
    if (file.format === 'pdf') return single(await loadPdf(await readBytes(file, ctx.maxFileBytes), file, ctx));
    const text = await readText(file, ctx.maxFileBytes);
    switch (file.format) {
      case 'markdown':
        return single(loadMarkdown(text, file, ctx));
      case 'html':
        return single(loadHtml(text, file, ctx));
      case 'text':
        return single(loadText(text, file, ctx));
      case 'jsonl': {
        const { documents, failures, rejectedIds } = loadJsonl(text, file, ctx);
        return { documents, failures, keep: { docIds: rejectedIds, sources: [] } };
      }
    }
  } catch (err) {
    return { documents: [], failures: [toFailure(file.source, err)], keep: { docIds: [], sources: [file.source] } };
  }
}

function single(document: SourceDocument): LoadResult {
  return { documents: [document], failures: [], keep: { docIds: [], sources: [] } };
}
