import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore, type EmbeddedStore } from '../../../src/retrieval/embedded/index.js';
import { ingest, ingestFull } from '../../../src/ingest/pipeline.js';
import { HashEmbedder } from '../helpers/fake-embedder.js';
import { options, RecordingProgress, scratch, silentLogger } from '../helpers/tree.js';

/** A slice of the shared Bolt docs, ingested into the real embedded store (SQLite FTS5 + HNSW). */
const BOLT = '../shared/eval/bolt-docs/docs/english/concepts';

describe('ingest into the embedded store', () => {
  let s: Awaited<ReturnType<typeof scratch>>;
  let store: EmbeddedStore;
  beforeEach(async () => {
    s = await scratch();
    store = await openEmbeddedStore({ dataDir: s.dir, logger: silentLogger });
  });
  afterEach(async () => {
    await store.close();
    await s.cleanup();
  });

  const deps = (embedder = new HashEmbedder()) => ({ store, embedder, logger: silentLogger, progress: new RecordingProgress() });
  const opts = () => options(process.cwd(), [BOLT], { include: ['acknowledge.md', 'socket-mode.md', 'token-rotation.md'], chunkSize: 1200, chunkOverlap: 200 });

  it('indexes real Markdown pages, finds them by keyword, and skips them on a second run', async () => {
    const first = await ingest(opts(), deps());
    expect(first).toMatchObject({ files: 3, documents: 3, failed: [] });
    expect(await store.info()).toMatchObject({ documents: 3, chunks: first.chunks, embedder: { id: 'hash-bow@1', dimensions: 16 } });
    const hits = await store.searchSparse('acknowledge ack within 3 seconds', 3, { accessGroups: ['public'] });
    expect(hits[0]!.chunk.source).toBe(`${BOLT}/acknowledge.md`);
    expect(hits[0]!.chunk.title).toBe('Acknowledging requests');
    const second = await ingest(opts(), deps());
    expect(second).toMatchObject({ documents: 0, skipped: 3, removed: 0 });
  });

  it('--full swaps in an index built by another embedder', async () => {
    await ingest(opts(), deps());
    const summary = await ingestFull(opts(), deps(new HashEmbedder('hash-bow@2', 8)));
    expect(summary).toMatchObject({ documents: 3, removed: 0 });
    expect(await store.info()).toMatchObject({ documents: 3, embedder: { id: 'hash-bow@2', dimensions: 8 } });
  });
});
