import { CairnError } from '../../core/errors.js';

export interface WebResult {
  title: string;
  url: string;
  snippet: string;
}

export interface WebSearchOptions {
  limit: number;
  signal?: AbortSignal;
}

export type WebSearchProviderName = 'tavily' | 'brave' | 'searxng';

/** One web search backend. Fails only with CairnError('WEB_SEARCH_UNAVAILABLE'). */
export interface WebSearchProvider {
  readonly name: WebSearchProviderName;
  search(query: string, options: WebSearchOptions): Promise<WebResult[]>;
}

export interface ProviderHttpOptions {
  /** Overrides the provider's API origin (WEB_SEARCH_BASE_URL), e.g. for a proxy or a test server. */
  baseUrl?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_SNIPPET_CHARS = 500;
const USER_MESSAGE = 'Web search is unavailable right now.';

export function unavailable(provider: WebSearchProviderName, reason: string, cause?: unknown): CairnError {
  return new CairnError('WEB_SEARCH_UNAVAILABLE', `Web search (${provider}) is unavailable: ${reason}`, { cause, userMessage: USER_MESSAGE });
}

/** `path` resolved under `base`, keeping any path prefix the base has (https://host/searx + search). */
export function endpoint(base: string, path: string): URL {
  return new URL(path, base.endsWith('/') ? base : `${base}/`);
}

/** Fetches JSON with a timeout; every failure becomes WEB_SEARCH_UNAVAILABLE with what to check. */
export async function fetchJson(
  provider: WebSearchProviderName,
  url: URL,
  init: RequestInit,
  options: { timeoutMs?: number; signal?: AbortSignal; statusHints?: Partial<Record<number, string>> },
): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal });
  } catch (err) {
    if (options.signal?.aborted) throw unavailable(provider, 'the search was cancelled', err);
    const reason = timeout.aborted ? `no answer within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` : `cannot reach ${url.origin}`;
    throw unavailable(provider, `${reason}; check the network and the provider's URL`, err);
  }
  if (!response.ok) {
    await response.body?.cancel();
    const hint = options.statusHints?.[response.status] ?? hintForStatus(response.status);
    throw unavailable(provider, `HTTP ${response.status} from ${url.origin}${hint}`);
  }
  try {
    return await response.json();
  } catch (err) {
    throw unavailable(provider, `the answer from ${url.origin} is not JSON`, err);
  }
}

function hintForStatus(status: number): string {
  if (status === 401 || status === 403) return '; check the API key';
  if (status === 429) return '; rate limited or out of quota, try again later';
  return '';
}

/** Keeps well-formed http(s) results, once per URL, with tag-free snippets of bounded length. */
export function normalizeResults(raw: Array<{ title?: unknown; url?: unknown; snippet?: unknown }>, limit: number): WebResult[] {
  const seen = new Set<string>();
  const results: WebResult[] = [];
  for (const item of raw) {
    if (typeof item.url !== 'string' || !/^https?:\/\//iu.test(item.url) || seen.has(item.url)) continue;
    seen.add(item.url);
    const title = typeof item.title === 'string' && item.title.trim() !== '' ? plainText(item.title) : item.url;
    const snippet = typeof item.snippet === 'string' ? plainText(item.snippet) : '';
    results.push({ title, url: item.url, snippet: snippet.length > MAX_SNIPPET_CHARS ? `${snippet.slice(0, MAX_SNIPPET_CHARS)}…` : snippet });
    if (results.length >= limit) break;
  }
  return results;
}

/** Brave and SearXNG mark matches with HTML (<strong>) and entities. */
function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/gu, '')
    .replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/gu, (_, name: string) =>
      ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' })[name] ?? '')
    .replace(/\s+/gu, ' ')
    .trim();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
