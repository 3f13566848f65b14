import { CairnError } from '../../core/errors.js';
import { CHUNKER_VERSION, type ChunkSettings } from '../../ingest/chunker.js';
import type { FetchResult, ListContext, ListPage, Source, SourceItem } from '../source.js';
import { HttpClient } from './http.js';
import { fetchPage } from './page.js';
import { loadScope, USER_AGENT_TOKEN, type Scope } from './scope.js';
import { getText, parseSitemap } from './sitemap.js';

export interface WebSettings {
  url: string;
  /** `auto`: the sitemap (robots.txt's, else /sitemap.xml), else /llms.txt, else /llms-full.txt, else a crawl. */
  mode: 'auto' | 'sitemap' | 'llms' | 'crawl';
  /** Sitemaps to read instead of looking for them. */
  sitemaps: string[];
  /** Origins besides the site's own that redirects may lead to. */
  allowedOrigins: string[];
  include: string[];
  exclude: string[];
  maxDepth: number;
  maxPages: number;
  requestsPerSecond: number;
  headers: Record<string, string>;
  /** Named in a 401/403 message: where the credentials are set. */
  authHint: string;
}

/** Crawled pages per listing page: the state (and so the resume point) is saved after each. */
const CRAWL_PAGE = 25;

type Cursor = { mode: 'sitemap'; next: string } | { mode: 'crawl'; queue: Array<[string, number]>; visited: string[] };

/**
 * A web site. Listing prefers what the site publishes (a sitemap with `lastmod`, which lets an
 * unchanged page cost no request at all; llms.txt) and falls back to a same-origin crawl. Every page is
 * fetched conditionally and reduced to its main content; its URL is the document's id and citation link.
 */
export function webSource(id: string, settings: WebSettings, ctx: { chunking: ChunkSettings; maxBytes: number }): Source {
  const origin = new URL(settings.url).origin;
  const http = new HttpClient({
    allowedOrigins: [origin, ...settings.allowedOrigins.map((o) => new URL(o).origin)],
    headers: settings.headers,
    requestsPerSecond: settings.requestsPerSecond,
    maxBytes: ctx.maxBytes,
    userAgent: `${USER_AGENT_TOKEN}/0.1 (document sync; source ${id})`,
    authHint: settings.authHint,
  });
  // A new chunking changes what a page is stored as, so it is part of every version.
  const tag = `${CHUNKER_VERSION}/${ctx.chunking.chunkSize}/${ctx.chunking.chunkOverlap}`;
  const skipped = { origin: 0, pattern: 0, robots: 0 };
  const page = (url: string, previous: Parameters<Source['fetch']>[1], signal: AbortSignal | undefined, keepLinks: boolean) =>
    fetchPage(http, url, previous, { chunking: ctx.chunking, keepLinks, ...(signal ? { signal } : {}) });

  function admit(scope: Scope, url: string): boolean {
    const why = scope.reject(url);
    if (why) skipped[why]++;
    return why === undefined;
  }

  async function* sitemapPages(scope: Scope, roots: string[], resumeAt: string | undefined, lctx: ListContext): AsyncIterable<ListPage> {
    const leaves: string[] = [];
    for (const root of roots) {
      const parsed = parseSitemap(await mustGet(root, lctx.signal));
      if (parsed.kind === 'index') leaves.push(...parsed.entries.map((e) => e.loc));
      else leaves.push(root);
    }
    const start = Math.max(0, resumeAt ? leaves.indexOf(resumeAt) : 0);
    for (let i = start; i < leaves.length; i++) {
      const { entries } = parseSitemap(await mustGet(leaves[i]!, lctx.signal));
      const items: SourceItem[] = entries
        .map((e) => ({ ...e, loc: withoutHash(e.loc) }))
        .filter((e) => admit(scope, e.loc))
        .map((e) => ({ id: e.loc, url: e.loc, ...(e.lastmod ? { version: `${e.lastmod}|${tag}` } : {}) }));
      const next = leaves[i + 1];
      yield { items, cursor: next ? JSON.stringify({ mode: 'sitemap', next } satisfies Cursor) : null };
    }
  }

  async function* crawlPages(scope: Scope, resume: Extract<Cursor, { mode: 'crawl' }> | undefined, lctx: ListContext): AsyncIterable<ListPage> {
    const start = withoutHash(settings.url);
    const queue: Array<[string, number]> = resume?.queue ?? [[start, 0]];
    const visited = new Set(resume?.visited ?? [start]);
    while (queue.length > 0) {
      const items: SourceItem[] = [];
      for (const [url, depth] of queue.splice(0, CRAWL_PAGE)) {
        const previous = lctx.previous(url);
        const fetched: FetchResult = await page(url, lctx.full ? undefined : previous, lctx.signal, true);
        const links = fetched.kind === 'documents' ? fetched.state.links : fetched.kind === 'unchanged' ? previous?.links : [];
        if (depth < settings.maxDepth) {
          for (const link of links ?? []) {
            if (visited.size >= settings.maxPages) break;
            if (visited.has(link) || !admit(scope, link)) continue;
            visited.add(link);
            queue.push([link, depth + 1]);
          }
        }
        items.push({ id: url, url, fetched });
      }
      yield { items, cursor: queue.length > 0 ? JSON.stringify({ mode: 'crawl', queue, visited: [...visited] } satisfies Cursor) : null };
    }
  }

  // Listing documents read during this listing: probing for the sitemap and reading it is one request.
  const listed = new Map<string, Awaited<ReturnType<typeof getText>>>();
  async function listingText(url: string, signal?: AbortSignal) {
    const got = listed.get(url) ?? (await getText(http, url, signal));
    listed.set(url, got);
    return got;
  }

  /** A listing document (sitemap, llms.txt): failing to read one cuts the listing short. */
  async function mustGet(url: string, signal?: AbortSignal): Promise<string> {
    const got = await listingText(url, signal);
    if ('text' in got) return got.text;
    throw new CairnError('INGEST', `${url} could not be read (${got.detail}): the listing stopped part-way, so nothing was deleted; the next sync resumes here.`);
  }

  async function firstReadable(urls: string[], signal?: AbortSignal): Promise<string | undefined> {
    for (const url of urls) if ('text' in (await listingText(url, signal))) return url;
    return undefined;
  }

  return {
    id,
    type: 'web',
    async *list(lctx) {
      listed.clear();
      const scope = await loadScope(http, settings, lctx.signal);
      const cursor = lctx.cursor ? (JSON.parse(lctx.cursor) as Cursor) : undefined;
      if (cursor?.mode === 'crawl') return yield* crawlPages(scope, cursor, lctx);
      const mode = settings.mode;
      const sitemaps = settings.sitemaps.length > 0 ? settings.sitemaps : [...new Set([...scope.sitemaps, new URL('/sitemap.xml', origin).toString()])];
      if (mode === 'sitemap' || cursor?.mode === 'sitemap') return yield* sitemapPages(scope, mode === 'sitemap' ? sitemaps : [await sitemapRoot(sitemaps, lctx.signal)], cursor?.next, lctx);
      if (mode === 'auto') {
        const root = await firstReadable(sitemaps, lctx.signal);
        if (root) return yield* sitemapPages(scope, [root], undefined, lctx);
      }
      if (mode === 'auto' || mode === 'llms') {
        const llms = new URL('/llms.txt', origin).toString();
        const full = new URL('/llms-full.txt', origin).toString();
        const found = await firstReadable([llms, full], lctx.signal);
        if (found === llms) {
          const items = markdownLinks(await mustGet(llms, lctx.signal), llms).filter((u) => admit(scope, u)).map((u) => ({ id: u, url: u }));
          return yield { items, cursor: null };
        }
        if (found === full) return yield { items: [{ id: full, url: full }], cursor: null };
        if (mode === 'llms') throw new CairnError('INGEST', `Neither ${llms} nor ${full} could be read; set \`mode\` to auto or crawl.`);
      }
      yield* crawlPages(scope, undefined, lctx);
    },
    fetch: (item, previous, fctx) => page(item.id, previous, fctx.signal, false),
    stats: () => ({ requests: http.requests, skippedOffSite: skipped.origin, skippedByPattern: skipped.pattern, skippedByRobots: skipped.robots }),
  };

  async function sitemapRoot(candidates: string[], signal?: AbortSignal): Promise<string> {
    return (await firstReadable(candidates, signal)) ?? candidates[0]!;
  }
}

function withoutHash(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.toString();
}

/** llms.txt is Markdown: its `[name](url)` links are the pages it recommends. */
function markdownLinks(text: string, base: string): string[] {
  const urls = new Set<string>();
  for (const [, href] of text.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?[^)]*\)/g)) {
    try {
      urls.add(withoutHash(new URL(href!, base).toString()));
    } catch {
      // Not a URL: not a page to list.
    }
  }
  return [...urls];
}
