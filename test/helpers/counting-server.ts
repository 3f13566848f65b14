import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server that only counts what reaches it: sandbox tests assert that nothing does. */
export interface CountingServer {
  url: string;
  port: number;
  requests(): number;
  close(): Promise<void>;
}

export async function startCountingServer(): Promise<CountingServer> {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests += 1;
    res.end('reached');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
