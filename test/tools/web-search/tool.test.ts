import { ToolMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearXNGProvider } from '../../../src/tools/web-search/searxng.js';
import { createWebSearchTool, type WebSearchToolOutput } from '../../../src/tools/web-search/tool.js';
import { FakeProviderServer } from './fake-provider-server.js';

const server = new FakeProviderServer();
let base = '';

beforeAll(async () => {
  base = await server.start();
});
afterAll(async () => {
  await server.stop();
});

describe('web_search tool', () => {
  it('returns numbered results with URLs as JSON content and as the ToolMessage artifact', async () => {
    server.reply = {
      json: {
        results: [
          { title: 'One', url: 'https://one.example/', content: 'first' },
          { title: 'Two', url: 'https://two.example/', content: 'second' },
          { title: 'Three', url: 'https://three.example/', content: 'third' },
        ],
      },
    };
    const webSearch = createWebSearchTool(new SearXNGProvider(base), { limit: 2 });
    expect(webSearch.name).toBe('web_search');
    const message: unknown = await webSearch.invoke({ type: 'tool_call', id: 'call-7', name: 'web_search', args: { query: 'numbers' } });
    expect(message).toBeInstanceOf(ToolMessage);
    const toolMessage = message as ToolMessage;
    const expected: WebSearchToolOutput = {
      results: [
        { n: 1, title: 'One', url: 'https://one.example/', snippet: 'first' },
        { n: 2, title: 'Two', url: 'https://two.example/', snippet: 'second' },
      ],
    };
    expect(JSON.parse(String(toolMessage.content))).toEqual(expected);
    expect(toolMessage.artifact).toEqual(expected);
    expect(toolMessage.tool_call_id).toBe('call-7');
  });

  it('returns a provider failure to the model as an Error: message, never throwing', async () => {
    server.reply = { status: 500, json: {} };
    const webSearch = createWebSearchTool(new SearXNGProvider(base));
    const message = (await webSearch.invoke({ type: 'tool_call', id: 'c', name: 'web_search', args: { query: 'q' } })) as ToolMessage;
    expect(String(message.content)).toMatch(/^Error: Web search \(searxng\) is unavailable: HTTP 500/);
    expect(message.artifact).toEqual({ results: [] });
  });

  it('turns an unexpected provider crash into an Error: message', async () => {
    const webSearch = createWebSearchTool({ name: 'brave', search: () => Promise.reject(new TypeError('boom at /work/x.ts')) });
    const content: unknown = await webSearch.invoke({ query: 'q' });
    expect(content).toBe('Error: Web search (brave) failed. Answer from the documents, or say the web could not be searched.');
  });

  it('refuses an empty query without calling the provider', async () => {
    let calls = 0;
    const webSearch = createWebSearchTool({ name: 'tavily', search: () => { calls += 1; return Promise.resolve([]); } });
    expect(await webSearch.invoke({ query: '   ' })).toBe('Error: the query is empty');
    expect(calls).toBe(0);
  });
});
