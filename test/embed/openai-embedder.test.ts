import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.js';
import { OpenAIEmbedder, type OpenAIEmbedderOptions } from '../../src/embed/openai-embedder.js';
import { normalize } from '../../src/embed/vectors.js';
import { EmbeddingServer, vectorFor } from './embedding-server.js';

const FAST_RETRY = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 };

describe('OpenAIEmbedder against a local OpenAI-compatible server', () => {
  let server: EmbeddingServer;
  let url: string;

  beforeEach(async () => {
    server = new EmbeddingServer();
    url = await server.start();
  });
  afterEach(async () => {
    await server.stop();
  });

  const make = (options: Partial<OpenAIEmbedderOptions> = {}): OpenAIEmbedder =>
    new OpenAIEmbedder({ baseUrl: `${url}/v1`, model: 'test-model', dimensions: 8, batchSize: 3, retry: FAST_RETRY, ...options });

  it('splits documents into batches of the configured size, keeps order and reports progress per batch', async () => {
    const texts = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const progress: [number, number][] = [];
    const vectors = await make().embedDocuments(texts, (done, total) => progress.push([done, total]));

    expect(server.requests.map((r) => r.body.input)).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    expect(progress).toEqual([[3, 7], [6, 7], [7, 7]]);
    expect(vectors).toHaveLength(7);
    texts.forEach((text, i) => {
      expect(Array.from(vectors[i] as Float32Array)).toEqual(Array.from(normalize(vectorFor(text, 8))));
    });
  });

  it('sends the model, `dimensions` and float encoding, and returns unit vectors', async () => {
    const vector = await make({ dimensions: 4 }).embedQuery('hello\nworld');
    const body = server.requests[0]?.body;
    expect(body).toMatchObject({ model: 'test-model', dimensions: 4, encoding_format: 'float', input: ['hello\nworld'] });
    expect(vector).toHaveLength(4);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  });

  it('honours a base URL with a path prefix and sends the API key, or a placeholder when none is given', async () => {
    await make({ baseUrl: `${url}/custom/prefix/v1`, apiKey: 'sk-test' }).embedQuery('x');
    await make({ apiKey: undefined }).embedQuery('y');
    expect(server.requests[0]?.path).toBe('/custom/prefix/v1/embeddings');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-test');
    expect(server.requests[1]?.path).toBe('/v1/embeddings');
    expect(server.requests[1]?.headers.authorization).toMatch(/^Bearer \S+/);
  });

  it('learns the dimensions from one probe when none are configured, and names itself after them', async () => {
    server.nativeDimensions = 6;
    const embedder = make({ dimensions: undefined });
    expect(() => embedder.id).toThrow(/await ready\(\)/);

    await embedder.ready();
    await embedder.ready();
    expect(embedder.dimensions).toBe(6);
    expect(embedder.id).toBe('openai:test-model@6');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).not.toHaveProperty('dimensions');
  });

  it('retries a 429 without Retry-After and then succeeds', async () => {
    server.failures.push({ status: 429 });
    const vector = await make().embedQuery('q');
    expect(vector).toHaveLength(8);
    expect(server.requests).toHaveLength(2);
  });

  it('waits as long as the server asks in retry-after-ms', async () => {
    server.failures.push({ status: 503, headers: { 'retry-after-ms': '150' } });
    const started = performance.now();
    await make().embedQuery('q');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after the retries on a persistent 500 with EMBEDDER_UNAVAILABLE naming the host and status', async () => {
    server.failures.push(...Array.from({ length: 5 }, () => ({ status: 500, body: { error: { message: 'model crashed' } } })));
    const err = await make().embedDocuments(['a']).catch((e: unknown) => e);

    expect(isCairnError(err, 'EMBEDDER_UNAVAILABLE')).toBe(true);
    const { host } = new URL(url);
    expect((err as Error).message).toMatch(new RegExp(`^Embedding service at ${host} failed: 500 model crashed \\(after 3 attempts\\)`));
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a request the server rejects, nor a 429 for an exhausted quota', async () => {
    server.failures.push({ status: 401, body: { error: { message: 'bad key' } } });
    const unauthorised = await make().embedQuery('q').catch((e: unknown) => e);
    expect(isCairnError(unauthorised, 'EMBEDDER_UNAVAILABLE')).toBe(true);
    expect((unauthorised as Error).message).toContain('EMBEDDING_API_KEY');
    expect(server.requests).toHaveLength(1);

    server.failures.push({ status: 429, body: { error: { message: 'You exceeded your quota', code: 'insufficient_quota' } } });
    await expect(make().embedQuery('q')).rejects.toThrow(/429 You exceeded your quota[\s\S]*\. The account is out of quota: check the account's plan and billing\.$/);
    expect(server.requests).toHaveLength(2);
  });

  it('says a 429 that outlasts the retries means rate-limited or overloaded, and where to look', async () => {
    server.failures.push({ status: 429 }, { status: 429 }, { status: 429 });
    const err = await make().embedQuery('q').catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/\(after 3 attempts\)\. The service is rate-limiting Cairn or overloaded: check the server's load and the account's rate limits and quota, lower EMBEDDING_BATCH_SIZE, or try again later\.$/);
    expect((err as Error).message).not.toMatch(/is running/);
  });

  it('refuses vectors of another size than configured, saying which setting to change', async () => {
    server.ignoreDimensions = true;
    server.nativeDimensions = 12;
    const err = await make({ dimensions: 4 }).embedQuery('q').catch((e: unknown) => e);
    expect(isCairnError(err, 'CONFIG')).toBe(true);
    expect((err as Error).message).toMatch(/returned 12-d vectors .* 4 were expected.*EMBEDDING_DIMENSIONS/);
  });

  it('reports an unreachable server as EMBEDDER_UNAVAILABLE after retrying', async () => {
    await server.stop();
    const err = await make({ retry: { maxRetries: 1, baseDelayMs: 5 } }).embedQuery('q').catch((e: unknown) => e);
    expect(isCairnError(err, 'EMBEDDER_UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toMatch(/failed: .*\(after 2 attempts\)\. Check that the server at http:\/\/127\.0\.0\.1:\d+ is running/);
  });
});
