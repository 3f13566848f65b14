import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.js';
import { startHttpServer } from '../../src/server/http-server.js';

const logger = pino({ level: 'silent' });

describe('the HTTP port', () => {
  it('serves /healthz, /readyz from the readiness check, mounted routes, and 404 elsewhere', async () => {
    let ready = false;
    const srv = await startHttpServer({
      port: 0, host: '127.0.0.1', logger,
      ready: async () => (ready ? { ok: true } : { ok: false, reason: 'the index is empty' }),
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
});
