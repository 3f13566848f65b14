import type { ChunkSettings } from '../../ingest/chunker.js';
import { isInputRejected } from '../../ingest/failures.js';
import { buildDocument } from '../../ingest/loaders/document.js';
import { firstHeading, scanMarkdown } from '../../ingest/markdown.js';
import { decodeText, ensureText } from '../../ingest/validate.js';
import type { FetchResult, ItemState } from '../source.js';
import { extractPage } from './extract.js';
import type { HttpClient } from './http.js';

const HTML = /^(text\/html|application\/xhtml\+xml)/;
const MARKDOWN = /^(text\/markdown|text\/x-markdown|text\/plain)/;

/**
 * One page as a document: a conditional GET when the state has validators (304 → unchanged, nothing
 * re-embedded), then a size, binary and UTF-8 check, then the main content as Markdown. The document's
 * id is the URL as listed (stable across redirects); its `url`, which citations link to, is where the
 * page really is.
 */
export async function fetchPage(http: HttpClient, url: string, previous: ItemState | undefined, ctx: { chunking: ChunkSettings; keepLinks: boolean; signal?: AbortSignal }): Promise<FetchResult> {
  const res = await http.get(url, { ...(previous?.validators ? { validators: previous.validators } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  if (res.kind === 'error') return { kind: 'failed', failure: res.failure };
  if (res.kind === 'not_modified') return { kind: 'unchanged' };
  const type = res.contentType;
  if (!HTML.test(type) && !MARKDOWN.test(type)) {
    return { kind: 'failed', failure: { source: url, reason: 'binary', detail: `content type ${type || 'unknown'} is not a web page` } };
  }
  try {
    const text = decodeText(res.body);
    const page = HTML.test(type) ? extractPage(text, res.url) : { title: '', markdown: text, links: [] };
    ensureText(page.markdown, 'no text in the page\'s main content');
    const title = page.title || firstHeading(scanMarkdown(page.markdown), 1) || new URL(res.url).pathname;
    const document = buildDocument({ id: url, source: url, url: res.url, title, text: page.markdown, format: 'markdown' }, ctx.chunking);
    return { kind: 'documents', documents: [document], failures: [], state: { validators: res.validators, ...(ctx.keepLinks ? { links: page.links } : {}) } };
  } catch (err) {
    if (!isInputRejected(err)) throw err;
    return { kind: 'failed', failure: { source: url, reason: err.reason, detail: err.detail } };
  }
}
