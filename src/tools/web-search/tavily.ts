import { endpoint, fetchJson, isRecord, normalizeResults, unavailable, type ProviderHttpOptions, type WebResult, type WebSearchOptions, type WebSearchProvider } from './provider.js';

const TAVILY_API = 'https://api.tavily.com';

/** Tavily: POST /search with a Bearer key; answers `{ results: [{ title, url, content }] }`. */
export class TavilyProvider implements WebSearchProvider {
  readonly name = 'tavily';

  constructor(private readonly apiKey: string, private readonly http: ProviderHttpOptions = {}) {}

  async search(query: string, options: WebSearchOptions): Promise<WebResult[]> {
    const body = await fetchJson(
      this.name,
      endpoint(this.http.baseUrl ?? TAVILY_API, 'search'),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
        body: JSON.stringify({ query, max_results: options.limit, search_depth: 'basic', include_answer: false }),
      },
      { timeoutMs: this.http.timeoutMs, signal: options.signal },
    );
    if (!isRecord(body) || !Array.isArray(body.results)) throw unavailable(this.name, 'the answer has no "results" list');
    return normalizeResults(
      body.results.filter(isRecord).map((r) => ({ title: r.title, url: r.url, snippet: r.content })),
      options.limit,
    );
  }
}
