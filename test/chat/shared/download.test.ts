import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadCapped, DownloadTooLarge } from '../../../src/chat/shared/download.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

/** Streams `total` bytes in chunks without a Content-Length, counting what it managed to send. */
async function chunkedServer(total: number): Promise<{ url: string; sent: () => number }> {
  let sent = 0;
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += chunk.byteLength;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/f`, sent: () => sent };
}

describe('downloadCapped', () => {
  it('cuts off a body with no declared length as soon as it passes the cap', async () => {
    const { url, sent } = await chunkedServer(64 * 1024 * 1024);
    const err = await downloadCapped(url, { maxBytes: 100 * 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadTooLarge);
    expect((err as DownloadTooLarge).bytes).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    expect(sent()).toBeLessThan(64 * 1024 * 1024);
  });

  it('returns a body within the cap whole', async () => {
    const { url } = await chunkedServer(48 * 1024);
    expect((await downloadCapped(url, { maxBytes: 100 * 1024 })).byteLength).toBe(48 * 1024);
  });
});
