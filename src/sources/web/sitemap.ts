import { decodeText } from '../../ingest/validate.js';
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

/** A sitemap's text, or why it could not be read. */
export async function getText(http: HttpClient, url: string, signal?: AbortSignal): Promise<{ text: string } | { status?: number; detail: string }> {
  const res = await http.get(url, signal ? { signal } : {});
  if (res.kind === 'not_modified') return { detail: 'HTTP 304 without a cached copy' };
  if (res.kind === 'error') return { ...(res.status !== undefined ? { status: res.status } : {}), detail: res.failure.detail };
  try {
    return { text: decodeText(res.body) };
  } catch (err) {
    return { detail: (err as Error).message };
  }
}
