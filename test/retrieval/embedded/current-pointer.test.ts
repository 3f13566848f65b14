import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore, type EmbeddedStore } from '../../../src/retrieval/embedded/index.js';
import { EMBEDDER, fixtureDoc } from './fixtures.js';
import { capturingLogger } from './helpers.js';

/**
 * Issue 10 item 12: an empty or unreadable CURRENT made every command, even a read-only search,
 * delete every generation. Now readers use the newest complete generation and delete nothing, the
 * next writer points CURRENT at it again, and with nothing complete left the error says what to run.
 */

const silent = pino({ level: 'silent' });

describe('a damaged index/CURRENT', () => {
  let dataDir: string;
  let root: string;
  const open: EmbeddedStore[] = [];
  const openStore = async (logger = silent) => {
    const store = await openEmbeddedStore({ dataDir, logger });
    open.push(store);
    return store;
  };
  const generations = () => fs.readdirSync(root).filter((n) => n.startsWith('gen-')).sort();
  const currentFile = () => path.join(root, 'CURRENT');
  const hits = async (store: EmbeddedStore, q: string) => (await store.searchSparse(q, 5)).map((h) => h.chunk.docId);

  /** Two generations: gen-0001 (superseded, not yet cleaned up) and gen-0002 (CURRENT, holds "fresh"). */
  async function twoGenerations(): Promise<void> {
    const a = await openStore();
    await a.upsertDocument(fixtureDoc(1, { variant: 'stale' }), EMBEDDER);
    // Keep gen-0001 on disk, as a reader that had it open would see it before cleanup.
    fs.cpSync(path.join(root, 'gen-0001'), path.join(root, 'gen-keep'), { recursive: true });
    const build = await a.beginRebuild(EMBEDDER);
    await build.write(fixtureDoc(2, { variant: 'fresh' }));
    await build.commit();
    await a.close();
    fs.renameSync(path.join(root, 'gen-keep'), path.join(root, 'gen-0001'));
    expect(generations()).toEqual(['gen-0001', 'gen-0002']);
  }

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-current-'));
    root = path.join(dataDir, 'index');
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['empty', () => fs.writeFileSync(currentFile(), ''), /index\/CURRENT is empty/],
    ['garbage', () => fs.writeFileSync(currentFile(), '\u0000\u0001 not a name'), /index\/CURRENT holds .*, not a generation name/],
    ['missing', () => fs.rmSync(currentFile()), /index\/CURRENT is missing/],
    ['naming a deleted generation', () => fs.writeFileSync(currentFile(), 'gen-0007\n'), /index\/CURRENT names gen-0007, which does not exist/],
  ])('%s: a reader deletes nothing and reads the newest complete generation; the next writer repairs CURRENT', async (_what, damage, warning) => {
    await twoGenerations();
    damage();
    const { logger, lines } = capturingLogger();
    const reader = await openStore(logger);
    expect(await hits(reader, 'fresh')).toEqual(['doc-2.md', 'doc-2.md']);
    expect(await reader.info()).toMatchObject({ documents: 1 });
    expect(generations()).toEqual(['gen-0001', 'gen-0002']);
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([expect.stringMatching(warning)]);

    const writer = await openStore();
    await writer.upsertDocument(fixtureDoc(3, { variant: 'after' }), EMBEDDER);
    expect(fs.readFileSync(currentFile(), 'utf8').trim()).toBe('gen-0002');
    expect(generations()).toEqual(['gen-0002']);
    expect(await hits(reader, 'after')).toEqual(['doc-3.md', 'doc-3.md']);
  });

  it('unreadable (a directory): a reader deletes nothing and reads the newest complete generation; a writer says what to remove', async () => {
    await twoGenerations();
    fs.rmSync(currentFile());
    fs.mkdirSync(currentFile());
    const { logger, lines } = capturingLogger();
    const reader = await openStore(logger);
    expect(await hits(reader, 'fresh')).toEqual(['doc-2.md', 'doc-2.md']);
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([expect.stringMatching(/index\/CURRENT cannot be read \(EISDIR\)/)]);
    await expect(reader.upsertDocument(fixtureDoc(3), EMBEDDER)).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(/^Cannot point .*CURRENT at gen-0002 again: .*\. Remove .*CURRENT, then retry\.$/),
    });
    expect(generations()).toEqual(['gen-0001', 'gen-0002']);
  });

  it('with no complete generation left, refuses with what to run and still deletes nothing', async () => {
    await twoGenerations();
    for (const gen of generations()) fs.writeFileSync(path.join(root, gen, 'BUILDING'), '999999999');
    fs.writeFileSync(currentFile(), '');
    const reader = await openStore();
    await expect(reader.searchSparse('fresh', 5)).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(/CURRENT is empty and no generation in .* is complete\. Rebuild the index from your documents with `cairn ingest --full <paths>`/),
    });
    expect(generations()).toEqual(['gen-0001', 'gen-0002']);
  });

  it('with the whole index deleted, a reader finds an empty index and a writer starts a new one', async () => {
    await twoGenerations();
    for (const gen of generations()) fs.rmSync(path.join(root, gen), { recursive: true });
    const store = await openStore();
    expect(await store.info()).toMatchObject({ documents: 0 });
    await store.upsertDocument(fixtureDoc(4), EMBEDDER);
    expect(await store.info()).toMatchObject({ documents: 1 });
  });
});
