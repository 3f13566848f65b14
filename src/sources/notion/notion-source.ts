import { APIResponseError, Client, isFullBlock, isFullPage, LogLevel, type PageObjectResponse, type RetryOptions } from '@notionhq/client';
import { CairnError } from '../../core/errors.js';
import { CHUNKER_VERSION, type ChunkSettings } from '../../ingest/chunker.js';
import { isInputRejected } from '../../ingest/failures.js';
import { buildDocument } from '../../ingest/loaders/document.js';
import { decodeText, ensureText, formatBytes } from '../../ingest/validate.js';
import { SourceFailed } from '../errors.js';
import type { FetchResult, ListPage, Source, SourceItem } from '../source.js';
import { blocksToMarkdown, type BlockNode } from './blocks.js';

export interface NotionSettings {
  /** https://api.notion.com, or a local fake in tests. */
  baseUrl: string;
  token: string;
  /** Named in the 401/403 message: the setting that holds the token. */
  authHint: string;
}

export interface NotionContext {
  chunking: ChunkSettings;
  maxBytes: number;
  /** The client's own retries (429 with Retry-After, 5xx on reads); tests shorten the back-off. */
  retry?: RetryOptions;
}

const PAGE_SIZE = 100;
/** A page with more blocks than this is reported as oversized rather than read for minutes. */
const MAX_BLOCKS = 20_000;

/**
 * The pages shared with a Notion integration, and the rows of its shared databases (data sources).
 * The search API lists them with a cursor, which is also where an interrupted listing resumes; an
 * item's version is its `last_edited_time`, so an untouched page costs no request beyond the listing.
 * A page's blocks, fetched with their nested children, become Markdown; its URL is the citation.
 */
export function notionSource(id: string, settings: NotionSettings, ctx: NotionContext): Source {
  const client = new Client({
    auth: settings.token,
    baseUrl: settings.baseUrl.replace(/\/+$/, ''),
    logLevel: LogLevel.ERROR,
    retry: { maxRetries: 3, maxRetryDelayMs: 120_000, ...ctx.retry },
  });
  const tag = `${CHUNKER_VERSION}/${ctx.chunking.chunkSize}/${ctx.chunking.chunkOverlap}`;
  let requests = 0;
  const call = <T>(request: () => Promise<T>): Promise<T> => {
    requests++;
    return request().catch((err: unknown) => {
      if (APIResponseError.isAPIResponseError(err) && (err.status === 401 || err.status === 403)) {
        throw new SourceFailed(`Notion answered ${err.status} ${err.code} (${err.message}): check ${settings.authHint}. Its documents are kept.`, { cause: err });
      }
      throw err;
    });
  };

  const toItem = (page: PageObjectResponse): SourceItem => ({ id: page.id, version: `${page.last_edited_time}|${tag}`, url: page.url, title: pageTitle(page) });

  /** Every row of a shared database, read in full within the search page that named it. */
  async function rows(dataSourceId: string): Promise<SourceItem[]> {
    const items: SourceItem[] = [];
    let cursor: string | undefined;
    do {
      const res = await call(() => client.dataSources.query({ data_source_id: dataSourceId, page_size: PAGE_SIZE, ...(cursor ? { start_cursor: cursor } : {}) }));
      for (const r of res.results) if (isFullPage(r) && !r.in_trash) items.push(toItem(r));
      cursor = res.has_more && res.next_cursor ? res.next_cursor : undefined;
    } while (cursor);
    return items;
  }

  /** One page of the search: its pages, the rows of the databases it names, and where the next page starts. */
  async function searchPage(cursor: string | undefined): Promise<{ items: SourceItem[]; next: string | null; incomplete?: string }> {
    const res = await call(() => client.search({ page_size: PAGE_SIZE, ...(cursor ? { start_cursor: cursor } : {}) }));
    const items: SourceItem[] = [];
    for (const r of res.results) {
      if (r.object === 'page' && isFullPage(r) && !r.in_trash) items.push(toItem(r));
      else if (r.object === 'data_source') items.push(...(await rows(r.id)));
    }
    const incomplete = res.request_status?.type === 'incomplete' ? (res.request_status.incomplete_reason ?? 'no reason given') : undefined;
    return { items, next: res.has_more && res.next_cursor ? res.next_cursor : null, ...(incomplete ? { incomplete } : {}) };
  }

  async function blocks(blockId: string, counted: { n: number }): Promise<BlockNode[]> {
    const nodes: BlockNode[] = [];
    let cursor: string | undefined;
    do {
      const res = await call(() => client.blocks.children.list({ block_id: blockId, page_size: PAGE_SIZE, ...(cursor ? { start_cursor: cursor } : {}) }));
      for (const block of res.results) {
        if (!isFullBlock(block)) continue;
        if (++counted.n > MAX_BLOCKS) throw new TooBig(`more than ${MAX_BLOCKS} blocks`);
        // A child page or database is an item of its own, listed by the search.
        const descend = block.has_children && block.type !== 'child_page' && block.type !== 'child_database';
        nodes.push({ block, children: descend ? await blocks(block.id, counted) : [] });
      }
      cursor = res.has_more && res.next_cursor ? res.next_cursor : undefined;
    } while (cursor);
    return nodes;
  }

  return {
    id,
    type: 'notion',
    async *list(lctx): AsyncIterable<ListPage> {
      let cursor = lctx.cursor;
      for (;;) {
        const { items, next, incomplete } = await searchPage(cursor).catch((err: unknown) => Promise.reject(listingStopped(err)));
        yield { items, cursor: next };
        // Notion stops a search that matched too much; what it left out would look deleted.
        if (next === null && incomplete !== undefined) {
          throw new CairnError('INGEST', `Notion said its search results are incomplete (${incomplete}), so nothing was deleted; share fewer pages with the integration or split it in several sources.`);
        }
        if (next === null) return;
        cursor = next;
      }
    },
    async fetch(item): Promise<FetchResult> {
      const source = `notion:${item.id}`;
      try {
        const markdown = blocksToMarkdown(await blocks(item.id, { n: 0 }));
        const bytes = Buffer.from(markdown);
        if (bytes.byteLength > ctx.maxBytes) throw new TooBig(`${formatBytes(bytes.byteLength)} of text > ${formatBytes(ctx.maxBytes)} limit`);
        // NUL characters mean binary data pasted into the page, as they do in a file.
        ensureText(decodeText(bytes), 'the page has no text');
        const title = item.title || 'Untitled';
        const document = buildDocument({ id: source, source, ...(item.url ? { url: item.url } : {}), title, text: `# ${title}\n\n${markdown}`, format: 'markdown' }, ctx.chunking);
        return { kind: 'documents', documents: [document], failures: [], state: {} };
      } catch (err) {
        if (err instanceof SourceFailed) throw err;
        if (err instanceof TooBig) return { kind: 'failed', failure: { source: item.url ?? source, reason: 'oversized', detail: err.message } };
        if (isInputRejected(err)) return { kind: 'failed', failure: { source: item.url ?? source, reason: err.reason, detail: err.detail } };
        if (APIResponseError.isAPIResponseError(err)) {
          const reason = err.status === 404 ? 'not_found' : 'http_error';
          return { kind: 'failed', failure: { source: item.url ?? source, reason, detail: `Notion answered ${err.status} ${err.code}: ${err.message}` } };
        }
        throw err;
      }
    },
    stats: () => ({ requests }),
  };
}

class TooBig extends Error {}

function pageTitle(page: PageObjectResponse): string {
  for (const property of Object.values(page.properties)) {
    if (property.type === 'title') return property.title.map((t) => t.plain_text).join('').trim();
  }
  return '';
}

function listingStopped(err: unknown): unknown {
  if (err instanceof SourceFailed || !(err instanceof Error)) return err;
  const what = APIResponseError.isAPIResponseError(err) ? `HTTP ${err.status} ${err.code}: ${err.message}` : err.message;
  return new CairnError('INGEST', `Notion's listing failed (${what}): it stopped part-way, so nothing was deleted; the next sync resumes here.`, { cause: err });
}
