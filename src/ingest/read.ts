import type { SourceDocument } from '../core/documents.js';
import { discover, type IngestRoot } from './discover.js';
import type { IngestFailure } from './failures.js';
import { loadFile, type LoadContext } from './loaders/index.js';
import type { IngestProgress } from './progress.js';

export interface ReadOptions extends LoadContext {
  paths: string[];
  include?: string[];
  exclude?: string[];
  maxFileBytes: number;
  cwd: string;
}

export interface ReadResult {
  files: number;
  roots: IngestRoot[];
  documents: SourceDocument[];
  failures: IngestFailure[];
  /** Document ids that were seen this run (read, or named by an input that failed). */
  seenIds: Set<string>;
  /** Sources of files that failed as a whole: their indexed documents (`source` or `source#id`) stay. */
  keptSources: Set<string>;
  /** Things a person should read although nothing failed (access rules that disagree). */
  warnings: string[];
}

/** Discovers and loads every file, one at a time, reporting each bad input and moving on. */
export async function readAll(options: ReadOptions, progress: IngestProgress): Promise<ReadResult> {
  const found = await discover(options.paths, { include: options.include, exclude: options.exclude, cwd: options.cwd });
  const failures: IngestFailure[] = [];
  const report = (f: IngestFailure) => {
    failures.push(f);
    progress.failed(f);
  };
  found.failures.forEach(report);
  const documents: SourceDocument[] = [];
  const owner = new Map<string, string>();
  const seenIds = new Set<string>();
  const keptSources = new Set<string>();

  progress.start('reading', found.files.length);
  for (const [i, file] of found.files.entries()) {
    const loaded = await loadFile(file, options);
    loaded.failures.forEach(report);
    loaded.keep.docIds.forEach((id) => seenIds.add(id));
    loaded.keep.sources.forEach((s) => keptSources.add(s));
    for (const doc of loaded.documents) {
      const first = owner.get(doc.id);
      if (first !== undefined) {
        report({ source: doc.source, reason: 'duplicate', detail: `document id ${JSON.stringify(doc.id)} is already used by ${first}` });
        continue;
      }
      owner.set(doc.id, doc.source);
      seenIds.add(doc.id);
      documents.push(doc);
    }
    progress.update('reading', i + 1);
  }
  return { files: found.files.length, roots: found.roots, documents, failures, seenIds, keptSources, warnings: [] };
}
