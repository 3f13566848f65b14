import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createCairn } from '../../src/app/cairn.js';
import { launch } from '../../src/app/start.js';
import { refuseEmbeddedStoreAcrossReplicas } from '../../src/app/shared-state.js';
import { loadConfig } from '../../src/config/config.js';
import { isCairnError } from '../../src/core/errors.js';
import { startFakeQdrant } from '../fakes/qdrant-server.js';
import { ownRedis } from '../shared-state/helpers.js';

describe('the index across replicas', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-fleet-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start a replica (REDIS_URL set) on the embedded store, naming QDRANT_URL', async () => {
    // The port is never dialled: the refusal comes before anything connects.
    const config = loadConfig({ CAIRN_DATA_DIR: dir, LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1' });
    const err = await createCairn(config, { logger: pino({ level: 'silent' }) }).then(() => null, (e: unknown) => e);
    expect(isCairnError(err, 'CONFIG')).toBe(true);
    expect((err as Error).message).toMatch(/REDIS_URL is set.*Set QDRANT_URL/);
  });

  it('lets a replica on Qdrant start, and a single process keep the embedded store with its votes in PostgreSQL', () => {
    const env = { CAIRN_DATA_DIR: dir };
    expect(() => refuseEmbeddedStoreAcrossReplicas(loadConfig({ ...env, REDIS_URL: 'redis://127.0.0.1:1', QDRANT_URL: 'http://127.0.0.1:6333' }))).not.toThrow();
    expect(() => refuseEmbeddedStoreAcrossReplicas(loadConfig({ ...env, DATABASE_URL: 'postgres://cairn@127.0.0.1:1/cairn' }))).not.toThrow();
    expect(() => refuseEmbeddedStoreAcrossReplicas(loadConfig(env))).not.toThrow();
  });
});

describe('replicas starting together', () => {
  it('index DOCS_DIR only when no other replica holds the re-index lease', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-fleet-start-'));
    const [redis, qdrant] = await Promise.all([ownRedis(), startFakeQdrant()]);
    const other = new Redis(redis.url);
    let said = '';
    const io = { stdin: process.stdin, stdout: process.stdout, stderr: { write: (s: string) => ((said += s), true) } as unknown as NodeJS.WritableStream };
    try {
      await mkdir(path.join(dir, 'docs'));
      await writeFile(path.join(dir, 'docs/leave.md'), '# Leave\n\nEmployees get 25 days of paid vacation leave each year.\n');
      // Another replica is indexing: it holds the lease every replica's gate takes.
      await other.set('cairn:lease:reindex', 'another-replica', 'PX', 60_000);
      const env = { CAIRN_DATA_DIR: path.join(dir, 'data'), DOCS_DIR: path.join(dir, 'docs'), PORT: '0', LOG_LEVEL: 'silent', REDIS_URL: redis.url, QDRANT_URL: qdrant.url };
      const app = await launch(loadConfig(env), io, { logger: pino({ level: 'silent' }) });
      await app.shutdown('test end');
      expect(said).toContain('Another replica is indexing already');
      expect(qdrant.collections()).toEqual([]);

      await other.del('cairn:lease:reindex');
      const second = await launch(loadConfig(env), io, { logger: pino({ level: 'silent' }) });
      await second.shutdown('test end');
      expect(qdrant.collections()).toHaveLength(1);
      // Released once indexed.
      expect(await other.exists('cairn:lease:reindex')).toBe(0);
    } finally {
      other.disconnect();
      await Promise.all([redis.stop(), qdrant.close()]);
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
