import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now: for a server a test starts there, or, left closed,
 * for a service that is "down" (connections are refused).
 */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
