import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCairn } from '../../src/app/cairn.js';
import { refuseEmbeddedStoreAcrossReplicas } from '../../src/app/shared-state.js';
import { loadConfig } from '../../src/config/config.js';
import { isCairnError } from '../../src/core/errors.js';

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
