import { Octokit } from '@octokit/rest';
import picomatch from 'picomatch';
import { CairnError } from '../core/errors.js';
import { CHUNKER_VERSION, type ChunkSettings } from '../ingest/chunker.js';
import type { DiscoveredFile } from '../ingest/discover.js';
import { isInputRejected, type FailureReason } from '../ingest/failures.js';
import { formatOf } from '../ingest/formats.js';
import { buildDocument } from '../ingest/loaders/document.js';
import { loadMarkdown } from '../ingest/loaders/markdown.js';
import { loadText } from '../ingest/loaders/text.js';
import { decodeText, formatBytes } from '../ingest/validate.js';
import { ApiFetch } from './api-fetch.js';
import { SourceFailed } from './errors.js';
import { groupByPrefix } from './groups.js';
import type { FetchResult, Source, SourceItem } from './source.js';

export interface GitHubSettings {
  /** `owner/name`. */
  repo: string;
  /** Absent: the repository's default branch (one request more per sync). */
  branch?: string;
  /** Folders (or files) in the repository to read; empty: all of it. */
  paths: string[];
  /** Globs on the path in the repository. */
  include: string[];
  exclude: string[];
  /** The REST API: https://api.github.com, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  baseUrl: string;
  /** Read from the env var the config names; public repositories need none. */
  token?: string;
  /** Named in a 401/403 message: where the token is set. */
  authHint: string;
  /** Repository folder → access group (the longest matching folder wins). */
  accessGroups: Record<string, string>;
}

interface Entry {
  path: string;
  sha: string;
  size: number;
}

/**
 * Markdown, MDX and text files of one branch of a GitHub repository. A listing is the branch (its
 * commit and tree SHA) and the recursive tree: two requests, whatever the size of the repository.
 * Each file's version is its blob SHA, so only files whose content changed are downloaded. A document's
 * id is the file's URL on the branch (stable across commits); citations link to the blob at the commit
 * that was synced.
 */
export function githubSource(id: string, settings: GitHubSettings, ctx: { chunking: ChunkSettings; maxBytes: number }): Source {
  const [owner, repo] = settings.repo.split('/') as [string, string];
  const limiter = new ApiFetch();
  const api = new Octokit({
    baseUrl: settings.baseUrl,
    ...(settings.token ? { auth: settings.token } : {}),
    userAgent: `Cairn/0.1 (document sync; source ${id})`,
    request: { fetch: limiter.fetch },
    // Octokit logs every failed request to the console; the sync reports failures itself, in its logs.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  const web = `${htmlRoot(settings.baseUrl)}/${owner}/${repo}`;
  const include = settings.include.length > 0 ? picomatch(settings.include) : () => true;
  const exclude = settings.exclude.length > 0 ? picomatch(settings.exclude) : () => false;
  const inPaths = (p: string) => settings.paths.length === 0 || settings.paths.some((root) => p === root || p.startsWith(`${root.replace(/\/+$/, '')}/`));
  // A new chunking changes what a file is stored as, so it is part of every version.
  const tag = `${CHUNKER_VERSION}/${ctx.chunking.chunkSize}/${ctx.chunking.chunkOverlap}`;
  const entries = new Map<string, Entry>();
  let commit = '';
  const groupOf = groupByPrefix(settings.accessGroups, (docId) => entries.get(docId)?.path, (folder) => `${settings.repo}/${folder}`);

  return {
    id,
    type: 'github',
    async *list(lctx) {
      entries.clear();
      const request = { signal: lctx.signal };
      const branch = settings.branch ?? (await call(() => api.repos.get({ owner, repo, request }))).data.default_branch;
      const { data: head } = await call(() => api.repos.getBranch({ owner, repo, branch, request }));
      commit = head.commit.sha;
      const { data: tree } = await call(() => api.git.getTree({ owner, repo, tree_sha: head.commit.commit.tree.sha, recursive: 'true', request }));
      if (tree.truncated) {
        throw new CairnError('INGEST', `GitHub truncated the tree of ${settings.repo} (more than 100,000 entries), so the listing is incomplete and nothing was deleted. Source "${id}" cannot read a repository this large.`);
      }
      const items: SourceItem[] = [];
      for (const e of tree.tree) {
        const format = e.path ? formatOf(e.path) : undefined;
        if (e.type !== 'blob' || !e.path || !e.sha || (format !== 'markdown' && format !== 'text')) continue;
        if (!inPaths(e.path) || !include(e.path) || exclude(e.path)) continue;
        const itemId = `${web}/blob/${branch}/${e.path}`;
        entries.set(itemId, { path: e.path, sha: e.sha, size: e.size ?? 0 });
        items.push({ id: itemId, version: `${e.sha}|${tag}`, url: `${web}/blob/${commit}/${e.path}` });
      }
      yield { items, cursor: null };
    },
    async fetch(item, _previous, fctx): Promise<FetchResult> {
      const entry = entries.get(item.id);
      if (!entry) return failed(item.id, 'not_found', 'not listed in this run');
      if (entry.size > ctx.maxBytes) return failed(item.id, 'oversized', `${formatBytes(entry.size)} > ${formatBytes(ctx.maxBytes)} limit`);
      let content: string;
      try {
        content = (await call(() => api.git.getBlob({ owner, repo, file_sha: entry.sha, request: { signal: fctx.signal } }), 'item')).data.content;
      } catch (err) {
        if (err instanceof SourceFailed) throw err;
        return failed(item.id, 'http_error', (err as Error).message);
      }
      try {
        const text = decodeText(Buffer.from(content, 'base64'));
        const file: DiscoveredFile = { absPath: entry.path, source: item.id, format: formatOf(entry.path)! };
        const loaded = file.format === 'markdown' ? loadMarkdown(text, file, ctx) : loadText(text, file, ctx);
        const { hash: _hash, ...fields } = loaded;
        return { kind: 'documents', documents: [buildDocument({ ...fields, url: `${web}/blob/${commit}/${entry.path}` }, ctx.chunking)], failures: [], state: {} };
      } catch (err) {
        if (!isInputRejected(err)) throw err;
        return failed(item.id, err.reason, err.detail);
      }
    },
    groupOf,
    stats: () => ({ requests: limiter.requests }),
  };

  /** One API call; a refusal stops the source (SourceFailed), anything else cuts the listing short (or fails the item). */
  async function call<T>(request: () => Promise<T>, during: 'listing' | 'item' = 'listing'): Promise<T> {
    try {
      return await request();
    } catch (err) {
      const status = (err as { status?: unknown }).status;
      const headers = (err as { response?: { headers?: Record<string, string | undefined> } }).response?.headers ?? {};
      const why = `GitHub answered ${status} (${(err as Error).message.split(' - ')[0]}) for ${settings.repo}`;
      if (status === 401) throw new SourceFailed(`${why}: check ${settings.authHint}. Its documents are kept.`, { cause: err });
      if ((status === 403 || status === 429) && headers['x-ratelimit-remaining'] === '0') {
        const reset = new Date(Number(headers['x-ratelimit-reset']) * 1000).toISOString();
        throw new SourceFailed(`${why}: the API rate limit is used up until ${reset}${settings.token ? '' : '; a token raises it (token_env)'}. Its documents are kept.`, { cause: err });
      }
      if (status === 403) throw new SourceFailed(`${why}: the token may not read this repository; check ${settings.authHint}. Its documents are kept.`, { cause: err });
      if (status === 404 && during === 'listing') throw new SourceFailed(`${why}: check \`repo\` and \`branch\` of source "${id}" (a private repository also answers 404 without ${settings.authHint}). Its documents are kept.`, { cause: err });
      throw new CairnError('INGEST', `${why}: the listing stopped, so nothing was deleted; the next sync tries again.`, { cause: err });
    }
  }
}

function quiet(): void {}

/** Where people read the repository: github.com for the public API, the Enterprise host for `/api/v3`. */
export function htmlRoot(apiBase: string): string {
  const url = new URL(apiBase);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  return `${url.origin}${url.pathname.replace(/\/api\/v3\/?$/, '').replace(/\/+$/, '')}`;
}

function failed(source: string, reason: FailureReason, detail: string): FetchResult {
  return { kind: 'failed', failure: { source, reason, detail } };
}
