import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: { model: string; input: string | string[]; dimensions?: number; encoding_format?: string };
}

/** A scripted failure for the next request: status, optional headers and JSON body. */
export interface Failure {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A local OpenAI-compatible POST …/embeddings endpoint. Vectors are derived from the text, so the
 * same text always gets the same vector; `dimensions` is honoured unless `ignoreDimensions` is set.
 */
export class EmbeddingServer {
  readonly requests: RecordedRequest[] = [];
  /** Consumed one per request before any success. */
  readonly failures: Failure[] = [];
  nativeDimensions = 8;
  ignoreDimensions = false;
  /** Each successful reply waits this long (a slow endpoint keeps an indexing run going). */
  delayMs = 0;
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        const body = JSON.parse(raw) as RecordedRequest['body'];
        this.requests.push({ path: req.url ?? '', headers: req.headers, body });
        const failure = this.failures.shift();
        if (failure) {
          res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
          res.end(JSON.stringify(failure.body ?? { error: { message: `scripted ${failure.status}` } }));
          return;
        }
        if (!req.url?.endsWith('/embeddings') || req.method !== 'POST') {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'not found' } }));
          return;
        }
        const inputs = Array.isArray(body.input) ? body.input : [body.input];
        const dims = !this.ignoreDimensions && body.dimensions ? body.dimensions : this.nativeDimensions;
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            object: 'list',
            data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: vectorFor(text, dims) })),
            model: body.model,
            usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
          }),
        ), this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Deterministic, not normalised (so tests can see the embedder normalise). */
export function vectorFor(text: string, dims: number): number[] {
  const digest = createHash('sha256').update(text).digest();
  return Array.from({ length: dims }, (_, i) => ((digest[i % digest.length] as number) - 128) / 16 + 0.01);
}
