import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmbeddingServer } from '../embed/embedding-server.js';
import { cairn, stubEnv } from './helpers.js';

/**
 * Issue 10 items 12 and 13 through the CLI: a damaged store.sqlite is named with what to run, and
 * `cairn ingest --full` repairs it without reading it; a damaged CURRENT never makes `cairn search`
 * delete anything.
 */

/** Overwrites every page after the first two with a byte pattern, keeping the file's size and header. */
function scramblePages(file: string): void {
  const bytes = fs.readFileSync(file);
  for (let i = 16_384; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
  fs.writeFileSync(file, bytes);
}

describe('cairn with a damaged embedded index', () => {
  const embeddings = new EmbeddingServer();
  let url = '';
  let work = '';
  const docs = () => path.join(work, 'docs');
  const index = () => path.join(work, 'data', 'index');
  const current = () => fs.readFileSync(path.join(index(), 'CURRENT'), 'utf8').trim();
  const generations = () => fs.readdirSync(index()).filter((n) => n.startsWith('gen-')).sort();

  beforeAll(async () => { url = await embeddings.start(); });
  afterAll(async () => { await embeddings.stop(); });
  beforeEach(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-damage-'));
    fs.mkdirSync(docs());
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(docs(), `page${i}.md`), `# Page ${i}\n\nPage ${i} explains widget ${i} and the lever it needs. ${'More words about levers. '.repeat(30)}\n`);
    // The fake endpoint's vectors are hashes with no meaning: BM25 leads, as with the offline model.
    stubEnv({ CAIRN_DATA_DIR: path.join(work, 'data'), EMBEDDER: 'openai', EMBEDDING_BASE_URL: `${url}/v1`, FUSION_DENSE_WEIGHT: '0.2', LOG_LEVEL: 'warn' });
    const first = await cairn('ingest', docs());
    expect(first.code, first.stderr).toBe(0);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it.each([
    ['replaced by text', (file: string) => fs.writeFileSync(file, 'not a database '.repeat(1000)), 'it is not a SQLite database'],
    ['with corrupt pages', scramblePages, 'SQLite found corrupt pages in it'],
  ])('store.sqlite %s: search says what happened and what to run; ingest --full rebuilds without reading it', async (_what, damage, why) => {
    const damaged = current();
    damage(path.join(index(), damaged, 'store.sqlite'));
    const search = await cairn('search', 'widget 7 lever');
    expect(search.code).toBe(1);
    expect(search.stderr).toContain(`cairn: The index database ${path.join(index(), damaged, 'store.sqlite')} is damaged (${why}). Rebuild the index from your documents with \`cairn ingest --full <paths>\``);
    expect(search.stderr).not.toMatch(/malformed|SQLITE_/);
    const incremental = await cairn('ingest', docs());
    expect(incremental.code).toBe(1);
    expect(incremental.stderr).toMatch(/is damaged .*cairn ingest --full/);

    const full = await cairn('ingest', '--full', docs());
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toMatch(/40 documents ingested/);
    expect(generations()).toEqual([current()]);
    const after = await cairn('search', 'widget 7 lever', '--k', '1');
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toMatch(/page7\.md/);
  });

  it('an empty CURRENT: cairn search answers from the newest complete generation and deletes nothing', async () => {
    const before = current();
    fs.writeFileSync(path.join(index(), 'CURRENT'), '');
    const search = await cairn('search', 'widget 7 lever', '--k', '1');
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toMatch(/page7\.md/);
    expect(generations()).toEqual([before]);
    // The next write points CURRENT at it again.
    fs.appendFileSync(path.join(docs(), 'page3.md'), 'A new line.\n');
    const ingest = await cairn('ingest', docs());
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toMatch(/1 document ingested/);
    expect(current()).toBe(before);
  });
});
