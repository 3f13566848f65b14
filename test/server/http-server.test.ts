import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { isCairnError } from '../../src/core/errors.js';
import { startHttpServer } from '../../src/server/http-server.js';

const logger = pino({ level: 'silent' });

describe('the HTTP port', () => {
  it('serves /healthz, /readyz from the readiness check, mounted routes, and 404 elsewhere', async () => {
    let ready = false;
    let degraded: string[] = [];
    const srv = await startHttpServer({
      port: 0, host: '127.0.0.1', logger,
      ready: async () => (ready ? { ok: true, degraded } : { ok: false, reason: 'the index is empty' }),
      routes: { '/slack/events': (_req, res) => res.writeHead(200).end('bolt') },
    });
    const url = (p: string) => `http://127.0.0.1:${srv.port}${p}`;
    try {
      expect((await fetch(url('/healthz'))).status).toBe(200);
      const notReady = await fetch(url('/readyz'));
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ reason: 'the index is empty' });
      ready = true;
      expect((await fetch(url('/readyz'))).status).toBe(200);
      // Degraded (shared state down) is still ready: the replica answers, and the body says what is down.
      degraded = ['Redis unreachable'];
      const partly = await fetch(url('/readyz'));
      expect([partly.status, await partly.json()]).toEqual([200, { status: 'degraded', degraded: ['Redis unreachable'] }]);
      expect(await (await fetch(url('/slack/events?x=1'), { method: 'POST' })).text()).toBe('bolt');
      expect((await fetch(url('/nope'))).status).toBe(404);
    } finally {
      await srv.close();
    }
  });

  it('says which setting to change when the port is taken', async () => {
    const first = await startHttpServer({ port: 0, host: '127.0.0.1', logger, ready: async () => ({ ok: true }) });
    try {
      const err = await startHttpServer({ port: first.port, host: '127.0.0.1', logger, ready: async () => ({ ok: true }) }).catch((e: unknown) => e);
      expect(isCairnError(err, 'CONFIG')).toBe(true);
      expect((err as Error).message).toMatch(new RegExp(`port ${first.port} \\(already in use\\): set PORT`));
    } finally {
      await first.close();
    }
  });

  it('listens on this machine only unless HOST opens it up, and logs where', async () => {
    const lines: string[] = [];
    const recording = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    for (const [env, address] of [[{}, '127.0.0.1'], [{ HOST: '0.0.0.0' }, '0.0.0.0']] as const) {
      const { host } = loadConfig({ ...env, PORT: '0' }).server;
      const srv = await startHttpServer({ port: 0, host, logger: recording, ready: async () => ({ ok: true }) });
      try {
        expect((srv.server.address() as AddressInfo).address).toBe(address);
        expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: 'http server listening', host: address, port: srv.port });
      } finally {
        await srv.close();
      }
    }
  });

  it('says which setting to change when HOST is not an address of this machine', async () => {
    const err = await startHttpServer({ port: 0, host: '192.0.2.1', logger, ready: async () => ({ ok: true }) }).catch((e: unknown) => e);
    expect(isCairnError(err, 'CONFIG')).toBe(true);
    expect((err as Error).message).toBe('Cannot listen on 192.0.2.1: this machine has no such address. Set HOST to one of its addresses, 127.0.0.1 or 0.0.0.0.');
  });
});
