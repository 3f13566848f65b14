import picomatch from 'picomatch';
import { CHUNKER_VERSION, type ChunkSettings } from '../../ingest/chunker.js';
import { InputRejected, isInputRejected } from '../../ingest/failures.js';
import { buildDocument } from '../../ingest/loaders/document.js';
import { ensureText } from '../../ingest/validate.js';
import { SourceFailed } from '../errors.js';
import { groupByPrefix } from '../groups.js';
import type { FetchResult, ListPage, Source, SourceItem } from '../source.js';
import { ConfluenceApi } from './api.js';
import { storageToMarkdown } from './storage.js';

export interface ConfluenceSettings {
  /** The site: `https://acme.atlassian.net` (Cloud) or a self-hosted site's root; `/wiki` may be included. */
  baseUrl: string;
  /** Space keys. */
  spaces: string[];
  /** Globs on `<SPACE KEY>/<page title>`. */
  include: string[];
  exclude: string[];
  /** Resolved from the env vars the config names (Basic email:token, or Bearer). */
  headers: Record<string, string>;
  authHint: string;
  /** Space key → access group. */
  accessGroups: Record<string, string>;
}

interface Space {
  id: string;
  key: string;
}
interface PageSummary {
  id: string;
  title: string;
  version?: { number?: number };
  _links?: { webui?: string };
}
interface Paged<T> {
  results: T[];
  _links?: { next?: string; base?: string };
}
interface Page extends PageSummary {
  body?: { storage?: { value?: string } };
}

/** Where a cut-short listing resumes: the space (by index in `spaces`) and its next page of results. */
type Cursor = { space: number; next?: string };

const PAGE_SIZE = 250;

/**
 * The current pages of chosen Confluence spaces, through the REST API v2. Listing reads page summaries
 * (250 a request, cursor pagination via `_links.next`); a page's version is its version number, so
 * only edited pages are fetched again (one request each, body in storage format → Markdown). A page's
 * id is `<site>/wiki/spaces/<KEY>/pages/<id>` (stable across renames); citations link to its
 * `_links.webui`.
 */
export function confluenceSource(id: string, settings: ConfluenceSettings, ctx: { chunking: ChunkSettings; maxBytes: number }): Source {
  const site = new URL(settings.baseUrl);
  const wiki = `${site.origin}${site.pathname.replace(/\/+$/, '').replace(/\/wiki$/, '')}/wiki`;
  const api = new ConfluenceApi({ apiRoot: `${wiki}/api/v2`, headers: settings.headers, authHint: settings.authHint, maxBytes: ctx.maxBytes });
  const include = settings.include.length > 0 ? picomatch(settings.include) : () => true;
  const exclude = settings.exclude.length > 0 ? picomatch(settings.exclude) : () => false;
  const tag = `${CHUNKER_VERSION}/${ctx.chunking.chunkSize}/${ctx.chunking.chunkOverlap}`;
  /** Item id → the page and its space, from this run's listing. */
  const listed = new Map<string, { pageId: string; space: string }>();
  const groupOf = groupByPrefix(settings.accessGroups, (docId) => listed.get(docId)?.space, (key) => `space ${key}`);

  async function spaces(signal?: AbortSignal): Promise<Space[]> {
    const keys = settings.spaces.map(encodeURIComponent).join(',');
    const found = await api.list<Paged<Space>>(`/spaces?keys=${keys}&limit=${PAGE_SIZE}`, signal);
    return settings.spaces.map((key) => {
      const space = found.results.find((s) => s.key === key);
      if (!space) throw new SourceFailed(`Confluence has no space "${key}" that these credentials can read: check \`spaces\` of source "${id}" and ${settings.authHint}. Its documents are kept.`);
      return space;
    });
  }

  return {
    id,
    type: 'confluence',
    async *list(lctx): AsyncIterable<ListPage> {
      const chosen = await spaces(lctx.signal);
      const cursor: Cursor = lctx.cursor ? (JSON.parse(lctx.cursor) as Cursor) : { space: 0 };
      for (let i = cursor.space; i < chosen.length; i++) {
        const space = chosen[i]!;
        let next: string | undefined = i === cursor.space ? cursor.next : undefined;
        next ??= `/spaces/${space.id}/pages?status=current&limit=${PAGE_SIZE}`;
        while (next) {
          const page: Paged<PageSummary> = await api.list<Paged<PageSummary>>(next, lctx.signal);
          const base = page._links?.base ?? wiki;
          const items: SourceItem[] = [];
          for (const p of page.results) {
            if (!include(`${space.key}/${p.title}`) || exclude(`${space.key}/${p.title}`)) continue;
            const itemId = `${base}/spaces/${space.key}/pages/${p.id}`;
            listed.set(itemId, { pageId: p.id, space: space.key });
            items.push({ id: itemId, title: p.title, url: p._links?.webui ? `${base}${p._links.webui}` : itemId, ...(p.version?.number !== undefined ? { version: `${p.version.number}|${tag}` } : {}) });
          }
          next = page._links?.next;
          const resume: Cursor | null = next ? { space: i, next } : i + 1 < chosen.length ? { space: i + 1 } : null;
          yield { items, cursor: resume ? JSON.stringify(resume) : null };
        }
      }
    },
    async fetch(item, _previous, fctx): Promise<FetchResult> {
      const page = listed.get(item.id);
      if (!page) return { kind: 'failed', failure: { source: item.id, reason: 'not_found', detail: 'not listed in this run' } };
      const got = await api.get<Page & { _links?: { base?: string } }>(`/pages/${page.pageId}?body-format=storage`, fctx.signal);
      if ('failure' in got) return { kind: 'failed', failure: { ...got.failure, source: item.id } };
      const { data } = got;
      try {
        const storage = data.body?.storage?.value ?? '';
        // JSON escapes what a raw body would show as NUL bytes: binary content pasted into a page.
        if (storage.includes('\u0000')) throw new InputRejected('binary', 'the page body contains NUL characters, so it is not text');
        const text = ensureText(storageToMarkdown(storage), 'the page has no text');
        const url = data._links?.webui ? `${data._links.base ?? wiki}${data._links.webui}` : (item.url ?? item.id);
        const document = buildDocument({ id: item.id, source: item.id, url, title: data.title || item.title || item.id, text, format: 'markdown' }, ctx.chunking);
        return { kind: 'documents', documents: [document], failures: [], state: {} };
      } catch (err) {
        if (!isInputRejected(err)) throw err;
        return { kind: 'failed', failure: { source: item.id, reason: err.reason, detail: err.detail } };
      }
    },
    groupOf,
    stats: () => ({ requests: api.requests }),
  };
}
