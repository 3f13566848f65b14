import type { IncomingMessage } from 'node:http';
import { TestSite, type Reply } from './site.js';

export interface FakePage {
  id: string;
  spaceKey: string;
  title: string;
  version: number;
  /** Storage format (XHTML). */
  storage: string;
}

/**
 * Confluence Cloud's REST API v2 over real HTTP, from its documented shapes: `GET /wiki/api/v2/spaces?keys=`,
 * `GET /spaces/{id}/pages` (cursor pagination: `_links.next` holds the next request, site-relative,
 * and `limit` is capped like the real API's 250, here at `maxLimit`), and `GET /pages/{id}?body-format=storage`.
 * Errors are v2's `{"errors": [{status, code, title, detail}]}` bodies.
 */
export class FakeConfluence extends TestSite {
  readonly spaces = [
    { id: '101', key: 'ENG', name: 'Engineering' },
    { id: '202', key: 'HR', name: 'People' },
  ];
  readonly pages = new Map<string, FakePage>();
  /** The Authorization header every request must carry, when set. */
  authorization: string | undefined;
  maxLimit = 2;

  constructor() {
    super();
    this.fallback = (req) => this.api(req);
  }

  get base(): string {
    return `${this.origin}/wiki`;
  }

  putPage(id: string, spaceKey: string, title: string, storage: string): void {
    const old = this.pages.get(id);
    this.pages.set(id, { id, spaceKey, title, storage, version: (old?.version ?? 0) + 1 });
  }

  /** Requests to the API, site-relative with their query. */
  apiCalls(): string[] {
    return this.requests.filter((r) => r.startsWith('/wiki/api/v2/'));
  }

  private api(req: IncomingMessage): Reply {
    if (this.authorization !== undefined && req.headers.authorization !== this.authorization) return this.error(401, 'UNAUTHORIZED', 'Unauthorized');
    const url = new URL(req.url ?? '/', this.origin);
    const path = url.pathname.replace(/^\/wiki\/api\/v2/, '');
    if (path === '/spaces') {
      const keys = (url.searchParams.get('keys') ?? '').split(',');
      const results = this.spaces.filter((s) => keys.includes(s.key)).map((s) => ({ ...s, type: 'global', status: 'current', _links: { webui: `/spaces/${s.key}` } }));
      return this.json({ results, _links: { base: this.base } });
    }
    const inSpace = /^\/spaces\/(\d+)\/pages$/.exec(path);
    if (inSpace) {
      const space = this.spaces.find((s) => s.id === inSpace[1]);
      if (!space) return this.error(404, 'NOT_FOUND', 'Not Found');
      const all = [...this.pages.values()].filter((p) => p.spaceKey === space.key).sort((a, b) => Number(a.id) - Number(b.id));
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 25), this.maxLimit);
      const offset = Number(Buffer.from(url.searchParams.get('cursor') ?? 'MA', 'base64url').toString());
      const results = all.slice(offset, offset + limit).map((p) => this.summary(p));
      const next = new URL(url);
      next.searchParams.set('cursor', Buffer.from(String(offset + limit)).toString('base64url'));
      return this.json({ results, _links: { ...(offset + limit < all.length ? { next: `${next.pathname}${next.search}` } : {}), base: this.base } });
    }
    const one = /^\/pages\/(\d+)$/.exec(path);
    const page = one ? this.pages.get(one[1]!) : undefined;
    if (page) {
      const body = url.searchParams.get('body-format') === 'storage' ? { storage: { value: page.storage, representation: 'storage' } } : {};
      return this.json({ ...this.summary(page), body, _links: { ...this.summary(page)._links, base: this.base } });
    }
    return this.error(404, 'NOT_FOUND', 'Not Found');
  }

  private summary(p: FakePage) {
    const space = this.spaces.find((s) => s.key === p.spaceKey)!;
    const slug = encodeURIComponent(p.title).replace(/%20/g, '+');
    return {
      id: p.id,
      status: 'current',
      title: p.title,
      spaceId: space.id,
      parentId: null,
      authorId: 'u1',
      createdAt: '2026-01-05T10:00:00.000Z',
      version: { number: p.version, message: '', minorEdit: false, authorId: 'u1', createdAt: '2026-01-06T10:00:00.000Z' },
      _links: { webui: `/spaces/${p.spaceKey}/pages/${p.id}/${slug}`, editui: `/pages/resumedraft.action?draftId=${p.id}`, tinyui: `/x/${p.id}` },
    };
  }

  private json(body: unknown): Reply {
    return { headers: { 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify(body) };
  }

  error(status: number, code: string, title: string): Reply {
    return { status, headers: { 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify({ errors: [{ status, code, title, detail: null }] }) };
  }
}
