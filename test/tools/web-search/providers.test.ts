import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { isCairnError } from '../../../src/core/errors.js';
import { BraveProvider } from '../../../src/tools/web-search/brave.js';
import { createWebSearchProvider } from '../../../src/tools/web-search/create-provider.js';
import { SearXNGProvider } from '../../../src/tools/web-search/searxng.js';
import { TavilyProvider } from '../../../src/tools/web-search/tavily.js';
import { FakeProviderServer } from './fake-provider-server.js';

const server = new FakeProviderServer();
let base = '';

beforeAll(async () => {
  base = await server.start();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.requests.length = 0;
});

async function unavailable(promise: Promise<unknown>): Promise<string> {
  const err: unknown = await promise.then(() => undefined, (e: unknown) => e);
  if (!isCairnError(err, 'WEB_SEARCH_UNAVAILABLE')) throw new Error(`expected WEB_SEARCH_UNAVAILABLE, got ${String(err)}`);
  expect(err.userMessage).toBe('Web search is unavailable right now.');
  return err.message;
}

describe('TavilyProvider', () => {
  it('POSTs the query with a Bearer key and maps results', async () => {
    server.reply = {
      json: {
        query: 'cairn',
        results: [
          { title: 'Cairn - Wikipedia', url: 'https://en.wikipedia.org/wiki/Cairn', content: 'A cairn is a man-made pile of stones.', score: 0.9 },
          { title: 'Duplicate', url: 'https://en.wikipedia.org/wiki/Cairn', content: 'same url again' },
          { title: 'Not http', url: 'javascript:alert(1)', content: 'dropped' },
          { url: 'https://example.org/untitled', content: 'no title' },
        ],
      },
    };
    const results = await new TavilyProvider('tvly-test', { baseUrl: base }).search('cairn', { limit: 3 });
    expect(results).toEqual([
      { title: 'Cairn - Wikipedia', url: 'https://en.wikipedia.org/wiki/Cairn', snippet: 'A cairn is a man-made pile of stones.' },
      { title: 'https://example.org/untitled', url: 'https://example.org/untitled', snippet: 'no title' },
    ]);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/search');
    expect(request?.headers.authorization).toBe('Bearer tvly-test');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ query: 'cairn', max_results: 3, search_depth: 'basic' });
  });

  it('says to check the key on 401', async () => {
    server.reply = { status: 401, json: { detail: { error: 'Unauthorized: missing or invalid API key.' } } };
    const message = await unavailable(new TavilyProvider('bad', { baseUrl: base }).search('q', { limit: 5 }));
    expect(message).toBe(`Web search (tavily) is unavailable: HTTP 401 from ${base}; check the API key`);
  });

  it('fails on an answer without results', async () => {
    server.reply = { json: { answer: 'no list' } };
    expect(await unavailable(new TavilyProvider('k', { baseUrl: base }).search('q', { limit: 5 }))).toMatch(/no "results" list/);
  });
});

describe('BraveProvider', () => {
  it('GETs /res/v1/web/search with q, count and X-Subscription-Token, and strips HTML from snippets', async () => {
    server.reply = {
      json: {
        type: 'search',
        web: {
          type: 'search',
          results: [
            { title: 'Cairn &amp; stones', url: 'https://example.com/cairn', description: 'A <strong>cairn</strong> marks a trail.' },
            { title: 'Second', url: 'https://example.com/2', description: 'two' },
          ],
        },
      },
    };
    const results = await new BraveProvider('brave-key', { baseUrl: base }).search('trail cairn', { limit: 50 });
    expect(results).toEqual([
      { title: 'Cairn & stones', url: 'https://example.com/cairn', snippet: 'A cairn marks a trail.' },
      { title: 'Second', url: 'https://example.com/2', snippet: 'two' },
    ]);
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/res/v1/web/search');
    expect(request?.query.get('q')).toBe('trail cairn');
    expect(request?.query.get('count')).toBe('20');
    expect(request?.headers['x-subscription-token']).toBe('brave-key');
    expect(request?.headers.accept).toBe('application/json');
  });

  it('treats an answer with no web section as no results', async () => {
    server.reply = { json: { type: 'search', query: { original: 'zzzz' } } };
    expect(await new BraveProvider('k', { baseUrl: base }).search('zzzz', { limit: 5 })).toEqual([]);
  });

  it('says when rate limited', async () => {
    server.reply = { status: 429, json: {} };
    expect(await unavailable(new BraveProvider('k', { baseUrl: base }).search('q', { limit: 5 }))).toMatch(/HTTP 429 .*rate limited/);
  });
});

describe('SearXNGProvider', () => {
  it('GETs <base>/search with format=json, keeping a path prefix', async () => {
    server.reply = { json: { query: 'q', results: [{ title: 'R', url: 'https://r.example/', content: 'snippet', engine: 'ddg' }] } };
    const results = await new SearXNGProvider(`${base}/searx`).search('cairn trail', { limit: 5 });
    expect(results).toEqual([{ title: 'R', url: 'https://r.example/', snippet: 'snippet' }]);
    const [request] = server.requests;
    expect(request?.path).toBe('/searx/search');
    expect(request?.query.get('q')).toBe('cairn trail');
    expect(request?.query.get('format')).toBe('json');
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('explains a 403 (json format disabled on the instance)', async () => {
    server.reply = { status: 403, raw: '<html>Forbidden</html>' };
    expect(await unavailable(new SearXNGProvider(base).search('q', { limit: 5 }))).toMatch(/HTTP 403 .*search\.formats/);
  });

  it('fails on an HTML answer', async () => {
    server.reply = { raw: '<html>not json</html>' };
    expect(await unavailable(new SearXNGProvider(base).search('q', { limit: 5 }))).toMatch(/not JSON/);
  });
});

describe('provider transport failures', () => {
  it('times out', async () => {
    server.reply = { json: { results: [] }, delayMs: 2000 };
    const message = await unavailable(new SearXNGProvider(base, { timeoutMs: 200 }).search('q', { limit: 5 }));
    expect(message).toMatch(/no answer within 200 ms/);
  });

  it('reports an unreachable server', async () => {
    const closed = new FakeProviderServer();
    const url = await closed.start();
    await closed.stop();
    expect(await unavailable(new BraveProvider('k', { baseUrl: url }).search('q', { limit: 5 }))).toMatch(/cannot reach/);
  });

  it('stops when the caller aborts', async () => {
    server.reply = { json: { results: [] }, delayMs: 2000 };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await unavailable(new SearXNGProvider(base).search('q', { limit: 5, signal: controller.signal }))).toMatch(/cancelled/);
  });
});

describe('createWebSearchProvider', () => {
  const cfg = (over: Partial<Config['webSearch']>): Config['webSearch'] => ({ provider: 'none', ...over });

  it('returns null when no provider is configured', () => {
    expect(createWebSearchProvider(cfg({}))).toBeNull();
  });

  it('builds each provider, honouring WEB_SEARCH_BASE_URL', async () => {
    expect(createWebSearchProvider(cfg({ provider: 'tavily', tavilyApiKey: 'k' }))?.name).toBe('tavily');
    expect(createWebSearchProvider(cfg({ provider: 'searxng', searxngUrl: 'http://searx.local' }))?.name).toBe('searxng');
    server.reply = { json: { web: { results: [{ title: 'T', url: 'https://t.example/', description: 'd' }] } } };
    const brave = createWebSearchProvider(cfg({ provider: 'brave', braveApiKey: 'k', baseUrl: base }));
    expect(await brave?.search('q', { limit: 1 })).toEqual([{ title: 'T', url: 'https://t.example/', snippet: 'd' }]);
    expect(server.requests[0]?.path).toBe('/res/v1/web/search');
  });

  it('refuses a provider without its key', () => {
    expect(() => createWebSearchProvider(cfg({ provider: 'brave' }))).toThrow(/"brave" needs BRAVE_API_KEY/);
  });
});
