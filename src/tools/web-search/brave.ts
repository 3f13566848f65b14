import { endpoint, fetchJson, isRecord, normalizeResults, unavailable, type ProviderHttpOptions, type WebResult, type WebSearchOptions, type WebSearchProvider } from './provider.js';

const BRAVE_API = 'https://api.search.brave.com';
/** Brave refuses `count` above 20. */
const MAX_COUNT = 20;

/** Brave: GET /res/v1/web/search?q=…&count=… with X-Subscription-Token; answers `{ web: { results: [{ title, url, description }] } }`. */
export class BraveProvider implements WebSearchProvider {
  readonly name = 'brave';

  constructor(private readonly apiKey: string, private readonly http: ProviderHttpOptions = {}) {}

  async search(query: string, options: WebSearchOptions): Promise<WebResult[]> {
    const url = endpoint(this.http.baseUrl ?? BRAVE_API, 'res/v1/web/search');
    url.searchParams.set('q', query);
    url.searchParams.set('count', String(Math.min(options.limit, MAX_COUNT)));
    const body = await fetchJson(
      this.name,
      url,
      { headers: { accept: 'application/json', 'x-subscription-token': this.apiKey } },
      { timeoutMs: this.http.timeoutMs, signal: options.signal },
    );
    if (!isRecord(body)) throw unavailable(this.name, 'the answer is not a JSON object');
    // A query with no web hits comes back without a `web` section at all.
    const results = isRecord(body.web) && Array.isArray(body.web.results) ? body.web.results : [];
    return normalizeResults(
      results.filter(isRecord).map((r) => ({ title: r.title, url: r.url, snippet: r.description })),
      options.limit,
    );
  }
}
