import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { createLogger } from '../../src/core/logger.js';
import { createEmbedder } from '../../src/embed/factory.js';
import { CACHE_FILE } from '../../src/embed/vector-cache.js';
import { EmbeddingServer } from './embedding-server.js';

const logger = createLogger({ level: 'silent', content: false });

describe('createEmbedder', () => {
  let dataDir: string;
  let server: EmbeddingServer;
  let url: string;
  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'cairn-embed-factory-'));
    server = new EmbeddingServer();
    url = await server.start();
  });
  afterEach(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds the offline USE embedder, cached in the data directory, without loading the model yet', async () => {
    const embedder = createEmbedder({ kind: 'use', model: 'text-embedding-3-small', batchSize: 64 }, { dataDir, logger });
    expect(embedder.id).toMatch(/^use-lite-512@/);
    expect(embedder.dimensions).toBe(512);
    expect(existsSync(path.join(dataDir, CACHE_FILE))).toBe(true);
    await embedder.close();
  });

  it('builds an OpenAI-compatible embedder whose re-embeds of the same texts come from the cache', async () => {
    const cfg: Config['embedding'] = { kind: 'openai', baseUrl: `${url}/v1`, model: 'nomic-embed-text', batchSize: 2 };
    const embedder = createEmbedder(cfg, { dataDir, logger });
    await embedder.ready();
    expect(embedder.id).toBe('openai:nomic-embed-text@8');

    await embedder.embedDocuments(['one', 'two', 'three']);
    const afterFirst = server.requests.length;
    await embedder.embedDocuments(['three', 'two', 'one']);
    expect(afterFirst).toBe(3); // the probe, then batches of 2 and 1
    expect(server.requests).toHaveLength(afterFirst);
    await embedder.close();
  });
});
