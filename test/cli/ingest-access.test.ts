import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmbeddingServer } from '../embed/embedding-server.js';
import { cairn, stubEnv } from './helpers.js';

// The issue's own sequence, through the real CLI and the embedded store.
describe('cairn ingest: a folder’s access group is never reset by a later ingest', () => {
  const embeddings = new EmbeddingServer();
  let url = '';
  let dir = '';
  beforeAll(async () => { url = await embeddings.start(); });
  afterAll(async () => { await embeddings.stop(); });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-ingest-access-'));
    await mkdir(path.join(dir, 'docs/hr'), { recursive: true });
    await writeFile(path.join(dir, 'docs/welcome.md'), '# Welcome\n\nThe office opens at nine.\n');
    await writeFile(path.join(dir, 'docs/hr/bonus.md'), '# Bonus\n\nThe annual bonus pool is twelve percent of salary.\n');
    stubEnv({ CAIRN_DATA_DIR: path.join(dir, 'data'), EMBEDDER: 'openai', EMBEDDING_BASE_URL: `${url}/v1` });
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  const publicHits = async () => {
    const res = await cairn('search', 'annual bonus pool', '--groups', 'public', '--json');
    expect(res.code, res.stderr).toBe(0);
    return (JSON.parse(res.stdout) as Array<{ source: string }>).map((h) => h.source);
  };

  it('keeps docs/hr in hr through `cairn ingest docs` and `cairn ingest --full docs`', async () => {
    expect((await cairn('ingest', 'docs/hr', '--access-group', 'hr')).code).toBe(0);
    expect((await cairn('ingest', 'docs')).code).toBe(0);
    expect(await publicHits()).not.toContain('docs/hr/bonus.md');
    expect((await cairn('ingest', '--full', 'docs')).code).toBe(0);
    expect(await publicHits()).not.toContain('docs/hr/bonus.md');
    const hr = await cairn('search', 'annual bonus pool', '--groups', 'hr', '--json');
    expect((JSON.parse(hr.stdout) as Array<{ source: string }>).map((h) => h.source)).toContain('docs/hr/bonus.md');
  });
});
