import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { SourceDocument } from '../core/documents.js';
import { CHUNKER_VERSION, type ChunkSettings } from '../ingest/chunker.js';
import { discover, isUnderRoot, normaliseSource, type DiscoveredFile } from '../ingest/discover.js';
import { buildDocument } from '../ingest/loaders/document.js';
import { loadFile } from '../ingest/loaders/index.js';
import { SourceFailed } from './errors.js';
import type { FetchResult, ListPage, Source, SourceItem } from './source.js';

export interface FolderSettings {
  /** As the user gave it: it becomes the documents' sources, as with `cairn ingest`. */
  path: string;
  include?: string[];
  exclude?: string[];
  /** `https://docs.example.com/` maps `docs/guide/setup.md` to `https://docs.example.com/guide/setup`, for citations. */
  urlBase?: string;
}

export interface FolderContext {
  cwd: string;
  maxFileBytes: number;
  chunking: ChunkSettings;
}

/**
 * A folder (DOCS_DIR, or a `type: folder` source), read by the same discovery and loaders as `cairn
 * ingest`, so its documents have the same ids. An item is a file; its version is its mtime and size
 * (plus the chunking settings, which change what it is stored as), so an untouched file is not even read.
 */
export function folderSource(id: string, settings: FolderSettings, ctx: FolderContext): Source {
  const root = normaliseSource(settings.path);
  const files = new Map<string, DiscoveredFile>();
  const chunkingTag = `${CHUNKER_VERSION}/${ctx.chunking.chunkSize}/${ctx.chunking.chunkOverlap}/${settings.urlBase ?? ''}`;
  return {
    id,
    type: 'folder',
    async *list(): AsyncIterable<ListPage> {
      const found = await discover([settings.path], { include: settings.include, exclude: settings.exclude, cwd: ctx.cwd });
      if (found.roots.length === 0) {
        const why = found.failures[0]?.detail ?? 'not found';
        throw new SourceFailed(`Source "${id}": the folder ${settings.path} cannot be read (${why}); fix its \`path\` setting. Its documents are kept.`);
      }
      const items: SourceItem[] = [];
      for (const file of found.files) {
        files.set(file.source, file);
        const s = await stat(file.absPath).catch(() => undefined);
        items.push({ id: file.source, path: path.posix.relative(root, file.source), ...(s ? { version: `${s.mtimeMs}:${s.size}:${chunkingTag}` } : {}) });
      }
      yield { items, cursor: null, failures: found.failures };
    },
    async fetch(item): Promise<FetchResult> {
      const file = files.get(item.id);
      if (!file) return { kind: 'failed', failure: { source: item.id, reason: 'not_found', detail: 'not listed in this run' } };
      const loaded = await loadFile(file, ctx);
      if (loaded.keep.sources.includes(file.source)) {
        return { kind: 'failed', failure: loaded.failures[0] ?? { source: file.source, reason: 'unreadable', detail: 'could not be read' } };
      }
      const documents = settings.urlBase ? loaded.documents.map((d) => withUrl(d, root, settings.urlBase!, ctx.chunking)) : loaded.documents;
      return { kind: 'documents', documents, failures: loaded.failures, keep: loaded.keep.docIds, state: {} };
    },
    ownerOf(doc) {
      if (!isUnderRoot(doc.source, { source: root, kind: 'dir' })) return undefined;
      return doc.source.split('#', 1)[0];
    },
  };
}

function withUrl(doc: SourceDocument, root: string, urlBase: string, chunking: ChunkSettings): SourceDocument {
  const relative = path.posix.relative(root, doc.source.split('#', 1)[0]!).replace(/\.(md|mdx|markdown|html?|txt)$/i, '');
  const { hash: _hash, ...fields } = doc;
  return buildDocument({ ...fields, url: new URL(relative, urlBase.endsWith('/') ? urlBase : `${urlBase}/`).toString() }, chunking);
}
