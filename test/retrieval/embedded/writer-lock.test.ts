import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore, type EmbeddedStore } from '../../../src/retrieval/embedded/index.js';
import { EMBEDDER, fixtureDoc } from './fixtures.js';
import { capturingLogger } from './helpers.js';

/**
 * Issue 10 item 11: a full re-index racing incremental writes lost them (they landed in the
 * generation the commit replaced). Index writers are now serialized across processes: a write
 * waits, with a warning, until the re-index has committed, then lands in the new generation.
 */

const silent = pino({ level: 'silent' });
const CHILD = path.join(import.meta.dirname, 'child-store.ts');
const REPO = path.resolve(import.meta.dirname, '../../..');
const docIds = async (store: EmbeddedStore) => (await store.listDocuments()).map((d) => d.docId).sort();
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Settles to 'pending' when `p` has not settled within `ms`. */
async function stateAfter(p: Promise<unknown>, ms: number): Promise<'resolved' | 'rejected' | 'pending'> {
  return Promise.race([p.then(() => 'resolved' as const, () => 'rejected' as const), tick(ms).then(() => 'pending' as const)]);
}

describe('one index writer at a time', () => {
  let dataDir: string;
  const open: EmbeddedStore[] = [];
  const openStore = async (logger = silent) => {
    const store = await openEmbeddedStore({ dataDir, logger });
    open.push(store);
    return store;
  };

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-writers-'));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('an update and a delete made during a full re-index wait for its commit and then apply to the new index', async () => {
    const rebuilder = await openStore();
    for (const i of [1, 2, 3]) await rebuilder.upsertDocument(fixtureDoc(i), EMBEDDER);
    const { logger, lines } = capturingLogger();
    const writer = await openStore(logger);

    const build = await rebuilder.beginRebuild(EMBEDDER);
    const added = writer.upsertDocument(fixtureDoc(7, { variant: 'late' }), EMBEDDER);
    const deleted = writer.deleteDocuments(['doc-2.md']);
    expect(await stateAfter(added, 300)).toBe('pending');
    expect(await stateAfter(deleted, 0)).toBe('pending');
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toContainEqual(
      expect.stringMatching(new RegExp(`^a full re-index \\(\`cairn ingest --full\`\\) \\(process ${process.pid}, since [0-9T:.-]+Z\\) is running; waiting for it to finish before writing$`)),
    );
    // The re-index carries over what the index held when it started.
    for (const i of [1, 2, 3]) await build.write(fixtureDoc(i));
    await build.commit();
    await Promise.all([added, deleted]);

    expect(await docIds(writer)).toEqual(['doc-1.md', 'doc-3.md', 'doc-7.md']);
    expect(await docIds(rebuilder)).toEqual(['doc-1.md', 'doc-3.md', 'doc-7.md']);
    expect((await rebuilder.searchSparse('late', 5)).map((h) => h.chunk.docId)).toEqual(['doc-7.md', 'doc-7.md']);
  });

  it('a second full re-index waits for the first; an aborted one lets the writers go', async () => {
    const a = await openStore();
    const b = await openStore();
    await a.upsertDocument(fixtureDoc(1), EMBEDDER);
    const first = await a.beginRebuild(EMBEDDER);
    const second = b.beginRebuild(EMBEDDER);
    expect(await stateAfter(second, 300)).toBe('pending');
    await first.abort();
    const build = await second;
    await build.write(fixtureDoc(5));
    await build.commit();
    expect(await docIds(a)).toEqual(['doc-5.md']);
  });

  it('a writer in another process that dies holding the lock does not block the index', async () => {
    const store = await openStore();
    await store.upsertDocument(fixtureDoc(1), EMBEDDER);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'rebuild-and-hang', dataDir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    const write = store.upsertDocument(fixtureDoc(2), EMBEDDER);
    expect(await stateAfter(write, 300)).toBe('pending');
    child.kill('SIGKILL');
    await write;
    expect(await docIds(store)).toEqual(['doc-1.md', 'doc-2.md']);
  });
});
