import { endpoint, fetchJson, isRecord, normalizeResults, unavailable, type ProviderHttpOptions, type WebResult, type WebSearchOptions, type WebSearchProvider } from './provider.js';

/**
 * A SearXNG instance: GET <base>/search?q=…&format=json; answers `{ results: [{ title, url, content }] }`.
 * The instance must list `json` under `search.formats` in its settings.yml, or it answers 403.
 */
export class SearXNGProvider implements WebSearchProvider {
  readonly name = 'searxng';

  constructor(private readonly baseUrl: string, private readonly http: Omit<ProviderHttpOptions, 'baseUrl'> = {}) {}

  async search(query: string, options: WebSearchOptions): Promise<WebResult[]> {
    const url = endpoint(this.baseUrl, 'search');
    url.searchParams.set('q', query);
    url.searchParams.set('format', 'json');
    const body = await fetchJson(
      this.name,
      url,
      { headers: { accept: 'application/json' } },
      {
        timeoutMs: this.http.timeoutMs,
        signal: options.signal,
        statusHints: { 403: '; enable the json format in the instance\'s settings.yml (search.formats)' },
      },
    );
    if (!isRecord(body) || !Array.isArray(body.results)) throw unavailable(this.name, 'the answer has no "results" list');
    return normalizeResults(
      body.results.filter(isRecord).map((r) => ({ title: r.title, url: r.url, snippet: r.content })),
      options.limit,
    );
  }
}

