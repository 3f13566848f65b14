import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { CairnError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

export interface HttpServerOptions {
  port: number;
  /** The address to listen on; HOST in the config, loopback unless the operator opens it up. */
  host: string;
  logger: Logger;
  /**
   * Readiness: false (with a reason) while the index is unusable. `degraded` lists what is down while
   * the replica still answers (shared state): shown in the body, never a 503.
   */
  ready: () => Promise<{ ok: boolean; reason?: string; degraded?: string[] }>;
  /** Extra routes by exact path, e.g. `/slack/events` → Bolt's request listener, `/metrics`. */
  routes?: Record<string, RequestListener>;
}

/** Cairn's one HTTP port: /healthz, /readyz and whatever the surfaces mount. */
export async function startHttpServer(opts: HttpServerOptions): Promise<{ server: http.Server; host: string; port: number; close: () => Promise<void> }> {
  const routes = opts.routes ?? {};
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes[path];
    if (route) {
      route(req, res);
      return;
    }
    if (path === '/healthz') {
      json(res, 200, { status: 'ok' });
      return;
    }
    if (path === '/readyz') {
      opts.ready().then(
        (r) => {
          const degraded = r.degraded?.length ? { degraded: r.degraded } : {};
          json(res, r.ok ? 200 : 503, r.ok ? { status: degraded.degraded ? 'degraded' : 'ready', ...degraded } : { status: 'not ready', reason: r.reason, ...degraded });
        },
        (err: unknown) => json(res, 503, { status: 'not ready', reason: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    json(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE' || err.code === 'EACCES'
          ? new CairnError('CONFIG', `Cannot listen on port ${opts.port} (${err.code === 'EADDRINUSE' ? 'already in use' : 'not allowed'}): set PORT to a free port.`, { cause: err })
          : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND'
            ? new CairnError('CONFIG', `Cannot listen on ${opts.host}: this machine has no such address. Set HOST to one of its addresses, 127.0.0.1 or 0.0.0.0.`, { cause: err })
            : err,
      );
    });
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  opts.logger.info({ host: opts.host, port }, 'http server listening');
  return {
    server,
    host: opts.host,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
