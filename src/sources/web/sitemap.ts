import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { decodeText, formatBytes } from '../../ingest/validate.js';
import type { HttpClient } from './http.js';

export interface SitemapEntry {
  loc: string;
  lastmod?: string;
}

export interface Sitemap {
  kind: 'index' | 'urlset';
  entries: SitemapEntry[];
}

/**
 * The two shapes of sitemaps.org: a `<sitemapindex>` of `<sitemap>`s and a `<urlset>` of `<url>`s,
 * each with `<loc>` and an optional `<lastmod>`. A regular expression is enough for this fixed,
 * flat format and spares an XML parser dependency.
 */
export function parseSitemap(xml: string): Sitemap {
  const kind = /<sitemapindex[\s>]/i.test(xml) ? 'index' : 'urlset';
  const tag = kind === 'index' ? 'sitemap' : 'url';
  const entries: SitemapEntry[] = [];
  for (const [, block] of xml.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'gi'))) {
    const loc = text(block!, 'loc');
    if (!loc) continue;
    const lastmod = text(block!, 'lastmod');
    entries.push({ loc, ...(lastmod ? { lastmod } : {}) });
  }
  return { kind, entries };
}

function text(block: string, tag: string): string | undefined {
  const raw = new RegExp(`<${tag}>\\s*(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?\\s*</${tag}>`, 'i').exec(block)?.[1];
  return raw?.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").trim();
}

const gunzipAsync = promisify(gunzip);
/** sitemaps.org's limit for one uncompressed sitemap: a bigger "sitemap.xml.gz" is refused, not inflated. */
const MAX_SITEMAP_BYTES = 50 * 1024 * 1024;

/**
 * A `.xml.gz` sitemap arrives as gzip bytes (served as application/gzip, no Content-Encoding that fetch
 * would undo): recognised by the gzip magic number, whatever the URL or the content type say.
 */
async function inflated(body: Uint8Array): Promise<Uint8Array> {
  if (body[0] !== 0x1f || body[1] !== 0x8b) return body;
  try {
    return await gunzipAsync(body, { maxOutputLength: MAX_SITEMAP_BYTES });
  } catch (err) {
    const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new Error(tooBig ? `gzip content larger than ${formatBytes(MAX_SITEMAP_BYTES)}` : `not valid gzip (${(err as Error).message})`);
  }
}

/** A listing document's text (sitemap, robots.txt, llms.txt; gzip inflated), or why it could not be read. */
export async function getText(http: HttpClient, url: string, signal?: AbortSignal): Promise<{ text: string } | { status?: number; detail: string }> {
  const res = await http.get(url, signal ? { signal } : {});
  if (res.kind === 'not_modified') return { detail: 'HTTP 304 without a cached copy' };
  if (res.kind === 'error') return { ...(res.status !== undefined ? { status: res.status } : {}), detail: res.failure.detail };
  try {
    return { text: decodeText(await inflated(res.body)) };
  } catch (err) {
    return { detail: (err as Error).message };
  }
}
