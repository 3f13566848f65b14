import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TestSite, type Reply } from './site.js';

const DOCS = 'https://docs.github.com/rest';

/**
 * A GitHub REST API (Enterprise Server layout: `<origin>/api/v3`) over real HTTP, from the documented
 * shapes of "get a repository", "get a branch", "get a tree" (recursive) and "get a blob" (base64).
 * SHAs are computed as git does for blobs, so an unchanged file keeps its SHA; every answer carries
 * the `x-ratelimit-*` headers; errors are GitHub's `{message, documentation_url, status}` bodies.
 */
export class FakeGitHub extends TestSite {
  /** Path → content of the one branch `main` of `acme/handbook`. */
  readonly files = new Files();
  /** When set, requests must carry `authorization: token <it>` (as Octokit sends it). */
  token: string | undefined;
  rateRemaining = 4999;

  get apiUrl(): string {
    return `${this.origin}/api/v3`;
  }

  constructor() {
    super();
    this.fallback = (req) => this.api(req);
  }

  /** The requests that reached the API, without the `/api/v3` prefix or query. */
  apiCalls(): string[] {
    return this.requests.map((r) => r.replace(/^\/api\/v3/, '').split('?')[0]!);
  }

  private api(req: IncomingMessage): Reply {
    const auth = req.headers.authorization;
    if (this.token !== undefined && auth !== `token ${this.token}`) return this.json(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    const path = (req.url ?? '').replace(/^\/api\/v3/, '').split('?')[0]!;
    const repo = /^\/repos\/acme\/handbook(\/.*)?$/.exec(path);
    if (!repo) return this.notFound();
    const rest = repo[1] ?? '';
    const { tree, treeSha, commitSha } = this.head();
    const html = `${this.origin}/acme/handbook`;
    if (rest === '') return this.json(200, { id: 1, name: 'handbook', full_name: 'acme/handbook', private: false, default_branch: 'main', html_url: html });
    if (rest === '/branches/main') {
      const commit = { sha: commitSha, url: `${this.apiUrl}/repos/acme/handbook/commits/${commitSha}`, html_url: `${html}/commit/${commitSha}`, commit: { message: 'docs', tree: { sha: treeSha, url: `${this.apiUrl}/repos/acme/handbook/git/trees/${treeSha}` } } };
      return this.json(200, { name: 'main', commit, _links: { self: `${this.apiUrl}/repos/acme/handbook/branches/main`, html: `${html}/tree/main` }, protected: false });
    }
    if (rest === `/git/trees/${treeSha}`) {
      if (!/[?&]recursive=/.test(req.url ?? '')) return this.json(500, { message: 'the fake serves recursive trees only', documentation_url: DOCS, status: '500' });
      return this.json(200, { sha: treeSha, url: `${this.apiUrl}/repos/acme/handbook/git/trees/${treeSha}`, tree, truncated: false });
    }
    const blob = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest);
    const content = blob ? this.head().blobs.get(blob[1]!) : undefined;
    if (blob && content !== undefined) {
      const bytes = Buffer.from(content);
      // GitHub wraps base64 content at 60 characters.
      const base64 = bytes.toString('base64').replace(/.{60}/g, '$&\n');
      return this.json(200, { sha: blob[1], node_id: 'B_1', size: bytes.byteLength, url: `${this.apiUrl}/repos/acme/handbook/git/blobs/${blob[1]}`, content: base64, encoding: 'base64' });
    }
    return this.notFound();
  }

  /** The branch as it is now: tree entries (folders too), its SHA and a commit SHA that moves with it. */
  head() {
    if (this.cached?.version !== this.files.version) this.cached = { version: this.files.version, ...this.snapshot() };
    return this.cached;
  }

  private cached: ({ version: number } & ReturnType<FakeGitHub['snapshot']>) | undefined;

  private snapshot() {
    const tree: Array<Record<string, unknown>> = [];
    const blobs = new Map<string, string | Uint8Array>();
    const folders = new Set<string>();
    for (const [path, content] of [...this.files].sort(([a], [b]) => a.localeCompare(b))) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
      const sha = blobSha(content);
      blobs.set(sha, content);
      tree.push({ path, mode: '100644', type: 'blob', sha, size: Buffer.byteLength(content), url: `${this.apiUrl}/repos/acme/handbook/git/blobs/${sha}` });
    }
    for (const folder of folders) tree.push({ path: folder, mode: '040000', type: 'tree', sha: sha1(`tree ${folder}`) });
    const treeSha = sha1(JSON.stringify(tree));
    return { tree, treeSha, commitSha: sha1(`commit ${treeSha}`), blobs };
  }

  private json(status: number, body: unknown): Reply {
    return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...this.rateHeaders() }, body: JSON.stringify(body) };
  }

  rateHeaders(remaining = this.rateRemaining): Record<string, string> {
    return { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-used': String(5000 - remaining), 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600), 'x-ratelimit-resource': 'core' };
  }

  private notFound(): Reply {
    return this.json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
  }
}

/** The branch's files; every change bumps `version`, so the tree is recomputed only when it changed. */
class Files extends Map<string, string | Uint8Array> {
  version = 0;

  override set(path: string, content: string | Uint8Array): this {
    this.version++;
    return super.set(path, content);
  }

  override delete(path: string): boolean {
    this.version++;
    return super.delete(path);
  }
}

/** git's blob id: sha1 of `blob <size>\0<content>`. */
export function blobSha(content: string | Uint8Array): string {
  const bytes = Buffer.from(content);
  return createHash('sha1').update(Buffer.concat([Buffer.from(`blob ${bytes.byteLength}\0`), bytes])).digest('hex');
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}
