import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './server.js';

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** A route's answer: fixed, or computed from the request (for 304s, failures that happen once, …). */
export type Route = Reply | ((req: IncomingMessage) => Reply);

/**
 * A small web site over real HTTP. Pages are HTML with an ETag (their content's length and a
 * version counter) and answer 304 to a matching If-None-Match, as a static file server does.
 */
export class TestSite extends LocalServer {
  readonly routes = new Map<string, Route>();
  /** Every request path, in order. */
  readonly requests: string[] = [];
  /** Answers what no route matches (a fake API's dynamic paths); absent: 404. */
  fallback?: (req: IncomingMessage) => Reply;
  private readonly faults: Array<{ match: RegExp; reply: Reply; times: number }> = [];

  url(p: string): string {
    return `${this.origin}${p}`;
  }

  /** An HTML page with chrome around its article, served with an ETag. */
  page(p: string, title: string, body: string, extra: { links?: string[]; lastModified?: string } = {}): void {
    const links = (extra.links ?? []).map((l) => `<a href="${l}">${l}</a>`).join(' ');
    const html = `<!doctype html><html><head><title>${title}</title></head><body><nav>Home | Menu | Pricing</nav><main><article><h1>${title}</h1><p>${body}</p><p>${links}</p></article></main><footer>© Example footer text</footer></body></html>`;
    const etag = `"${Buffer.byteLength(html)}-${hash(html)}"`;
    this.routes.set(p, (req) => {
      if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
      return { headers: { 'content-type': 'text/html; charset=utf-8', etag, ...(extra.lastModified ? { 'last-modified': extra.lastModified } : {}) }, body: html };
    });
  }

  sitemap(p: string, entries: Array<{ loc: string; lastmod?: string }>): void {
    const urls = entries.map((e) => `<url><loc>${this.url(e.loc)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}</url>`).join('');
    this.routes.set(p, { headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>` });
  }

  sitemapIndex(p: string, children: string[]): void {
    const maps = children.map((c) => `<sitemap><loc>${this.url(c)}</loc></sitemap>`).join('');
    this.routes.set(p, { headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${maps}</sitemapindex>` });
  }

  /** The next `times` requests whose path (with query) matches answer `reply` instead (a fault that passes). */
  failNext(match: RegExp, reply: Reply, times = 1): void {
    this.faults.push({ match, reply, times });
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const p = req.url ?? '/';
    this.requests.push(p);
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(p));
    if (fault) fault.times--;
    const route = this.routes.get(p);
    const reply: Reply = fault ? fault.reply : route !== undefined ? (typeof route === 'function' ? route(req) : route) : (this.fallback?.(req) ?? { status: 404, body: 'not found' });
    res.writeHead(reply.status ?? 200, reply.headers ?? {});
    res.end(reply.body ?? '');
  }
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16);
}
