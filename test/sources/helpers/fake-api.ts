import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './server.js';
import type { Reply } from './site.js';

/** One request as the fake saw it. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** Answers a request, or returns undefined to let the API answer normally. */
export type Fault = (req: ApiRequest) => Reply | undefined;

/**
 * The HTTP shell of a fake JSON API: records every request, lets a test inject a fault before the API
 * answers (a 401, a 429 with Retry-After, a 500 on the second page), and sends JSON replies.
 */
export abstract class FakeApi extends LocalServer {
  readonly requests: ApiRequest[] = [];
  fault: Fault | undefined;

  /** `METHOD /path` of every request, in order. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  protected abstract answer(req: ApiRequest): Reply;

  protected json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
    return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const type = req.headers['content-type'] ?? '';
    const body = raw === '' ? undefined : type.includes('json') ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
    const request: ApiRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
    this.requests.push(request);
    const reply = this.fault?.(request) ?? this.answer(request);
    res.writeHead(reply.status ?? 200, reply.headers ?? {});
    res.end(reply.body ?? '');
  }
}
