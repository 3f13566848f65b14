import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Chunk } from '../../../src/core/documents.js';
import type { SearchHit } from '../../../src/core/search.js';
import { HttpReranker } from '../../../src/retrieval/rerank/index.js';

const logger = pino({ level: 'silent' });

function hit(id: string, text: string, score: number): SearchHit {
  const chunk: Chunk = { id, docId: id, source: `${id}.md`, title: id, headingPath: [], chunkIndex: 0, totalChunks: 1, contentHash: id, accessGroup: 'public', text };
  return { chunk, score };
}
const HITS = [hit('a', 'alpha text', 0.9), hit('b', 'bravo text', 0.8), hit('c', 'charlie text', 0.7)];

interface Seen {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A /rerank server whose answer is computed from the parsed request by `reply`. */
async function rerankServer(reply: (body: Record<string, unknown>) => { status?: number; json?: unknown; hang?: boolean }) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      const r = reply(body);
      if (r.hang) return;
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r.json ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return { url, seen };
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

describe('HttpReranker', () => {
  it('sends the Cohere/Jina/vLLM body and reorders by relevance_score', async () => {
    const { url, seen } = await rerankServer(() => ({
      json: { results: [{ index: 2, relevance_score: 0.95 }, { index: 0, relevance_score: 0.4 }] },
    }));
    const reranker = new HttpReranker({ url: `${url}/v1`, apiKey: 'k', model: 'bge-reranker', logger });
    const out = await reranker.rerank('which letter', HITS, 2);
    expect(out.map((h) => [h.chunk.id, h.score])).toEqual([['c', 0.95], ['a', 0.4]]);
    expect(seen[0]!.path).toBe('/v1/rerank');
    expect(seen[0]!.headers.authorization).toBe('Bearer k');
    expect(seen[0]!.body).toEqual({ model: 'bge-reranker', query: 'which letter', documents: ['a\nalpha text', 'b\nbravo text', 'c\ncharlie text'], top_n: 2 });
    expect(reranker.id).toBe('http:bge-reranker');
  });

  it('switches to the TEI body when the server refuses `documents`, and reads [{index, score}]', async () => {
    const { url, seen } = await rerankServer((body) =>
      'texts' in body
        ? { json: [{ index: 1, score: 3.2 }, { index: 0, score: -1 }, { index: 2, score: 0.5 }] }
        : { status: 422, json: { error: 'missing field `texts`' } },
    );
    const reranker = new HttpReranker({ url: `${url}/rerank`, logger });
    expect((await reranker.rerank('q', HITS, 3)).map((h) => h.chunk.id)).toEqual(['b', 'c', 'a']);
    expect((await reranker.rerank('q', HITS, 1)).map((h) => h.chunk.id)).toEqual(['b']);
    // One probe with `documents`, then `texts` only.
    expect(seen.map((s) => Object.keys(s.body).sort().join(','))).toEqual(['documents,query,top_n', 'query,texts', 'query,texts']);
  });

  it('turns server errors, bad bodies and timeouts into RERANKER_UNAVAILABLE', async () => {
    const failing = await rerankServer(() => ({ status: 500, json: { error: 'model crashed' } }));
    await expect(new HttpReranker({ url: failing.url, protocol: 'documents', logger }).rerank('q', HITS, 2)).rejects.toMatchObject({
      code: 'RERANKER_UNAVAILABLE',
      message: expect.stringContaining('HTTP 500'),
    });
    const garbled = await rerankServer(() => ({ json: { results: [{ index: 7, relevance_score: 1 }] } }));
    await expect(new HttpReranker({ url: garbled.url, logger }).rerank('q', HITS, 2)).rejects.toMatchObject({ code: 'RERANKER_UNAVAILABLE', message: expect.stringContaining('out of range') });
    const refusing = await rerankServer((body) => ('texts' in body ? { status: 404, json: {} } : { status: 400, json: { message: 'too many documents' } }));
    await expect(new HttpReranker({ url: refusing.url, logger }).rerank('q', HITS, 2)).rejects.toMatchObject({ message: expect.stringContaining('too many documents') });
    const silent = await rerankServer(() => ({ hang: true }));
    await expect(new HttpReranker({ url: silent.url, timeoutMs: 100, logger }).rerank('q', HITS, 2)).rejects.toMatchObject({ code: 'RERANKER_UNAVAILABLE', message: expect.stringContaining('no answer within 100 ms') });
  });

  it('does not call the server for no candidates', async () => {
    const { url, seen } = await rerankServer(() => ({ json: { results: [] } }));
    expect(await new HttpReranker({ url, logger }).rerank('q', [], 3)).toEqual([]);
    expect(seen).toHaveLength(0);
  });
});
