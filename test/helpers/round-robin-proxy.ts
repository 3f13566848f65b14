import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  readonly url: string;
  /** Which target (by index) each request went to, in order. */
  readonly routed: number[];
  close(): Promise<void>;
}

/**
 * A load balancer on loopback, as nginx's default upstream does it: each request goes to the next
 * target in turn, body and headers untouched (Slack's signature covers them). A target that refuses
 * the connection answers 502, as a dead replica looks to the platform.
 */
export async function startRoundRobinProxy(targets: string[]): Promise<RoundRobinProxy> {
  const routed: number[] = [];
  let next = 0;
  const server = http.createServer((req, res) => {
    const index = next++ % targets.length;
    routed.push(index);
    const upstream = http.request(new URL(req.url ?? '/', targets[index]), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    routed,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
