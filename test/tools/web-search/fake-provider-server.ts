import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Reply = { status?: number; json?: unknown; raw?: string; delayMs?: number };

/** A local HTTP server standing in for a search API: records every request, answers with `reply`. */
export class FakeProviderServer {
  readonly requests: RecordedRequest[] = [];
  reply: Reply = { json: {} };
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        this.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const { status = 200, json, raw, delayMs = 0 } = this.reply;
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': raw === undefined ? 'application/json' : 'text/html' });
          res.end(raw ?? JSON.stringify(json));
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
