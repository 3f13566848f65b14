import { writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.js';
import { ingest, ingestFull, type IngestOptions } from '../../src/ingest/pipeline.js';
import { HashEmbedder } from './helpers/fake-embedder.js';
import { MemoryStore } from './helpers/memory-store.js';
import { options, RecordingProgress, scratch, silentLogger } from './helpers/tree.js';

describe('incremental re-ingest', () => {
  let s: Awaited<ReturnType<typeof scratch>>;
  let store: MemoryStore;
  let embedder: HashEmbedder;
  beforeEach(async () => {
    s = await scratch();
    store = new MemoryStore();
    embedder = new HashEmbedder();
    await s.write({
      'docs/a.md': '# A\n\nAlpha text about apples.\n\n## More\n\nApples are red.',
      'docs/b.md': '# B\n\nBeta text about bananas.',
      'docs/sub/c.txt': 'Gamma text about cherries.',
      'docs-old/d.md': '# D\n\nA sibling folder whose name starts like docs.',
      'kb.jsonl': ['{"id": "k1", "text": "first entry"}', '{"id": "k2", "text": "second entry"}'].join('\n'),
    });
  });
  afterEach(async () => s.cleanup());

  const run = (paths: string[], extra: Partial<IngestOptions> = {}, using = embedder) =>
    ingest(options(s.dir, paths, extra), { store, embedder: using, logger: silentLogger, progress: new RecordingProgress() });
  const ids = async () => (await store.listDocuments()).map((d) => d.docId).sort();

  it('skips unchanged documents without embedding or writing them again', async () => {
    const first = await run(['docs']);
    expect(first).toMatchObject({ documents: 3, skipped: 0 });
    const embeddedBefore = embedder.embedded.length;
    store.calls.length = 0;
    const progress = new RecordingProgress();
    const second = await ingest(options(s.dir, ['docs']), { store, embedder, logger: silentLogger, progress });
    expect(second).toMatchObject({ documents: 0, chunks: 0, skipped: 3, removed: 0, failed: [] });
    expect(embedder.embedded.length).toBe(embeddedBefore);
    expect(store.calls).toEqual(['assertEmbedder']);
    expect(progress.phases).toEqual([{ phase: 'reading', total: 3 }]);
  });

  it('replaces a changed document: its old chunks are gone', async () => {
    await run(['docs']);
    expect(store.chunksOf('docs/a.md')).toHaveLength(2);
    await writeFile(path.join(s.dir, 'docs/a.md'), '# A\n\nAlpha now talks about apricots only.');
    const summary = await run(['docs']);
    expect(summary).toMatchObject({ documents: 1, skipped: 2, removed: 0 });
    const chunks = store.chunksOf('docs/a.md');
    expect(chunks.map((c) => c.text)).toEqual(['Alpha now talks about apricots only.']);
    expect(chunks[0]!.totalChunks).toBe(1);
    expect(await store.getChunks(['docs/a.md#1'])).toEqual([]);
  });

  it('removes a deleted file and leaves a sibling root alone', async () => {
    await run(['docs']);
    await run(['docs-old', 'kb.jsonl']);
    await rm(path.join(s.dir, 'docs/sub/c.txt'));
    await rm(path.join(s.dir, 'docs-old/d.md'));
    const summary = await run(['docs']);
    expect(summary).toMatchObject({ removed: 1, skipped: 2 });
    expect(await ids()).toEqual(['docs-old/d.md', 'docs/a.md', 'docs/b.md', 'k1', 'k2']);
  });

  it('treats ./docs/ and docs as the same root', async () => {
    await run(['docs']);
    const summary = await run(['./docs/']);
    expect(summary).toMatchObject({ skipped: 3, documents: 0, removed: 0 });
  });

  it('removes a vanished JSONL line but keeps the indexed copy of a line that is now broken', async () => {
    await run(['kb.jsonl']);
    await writeFile(path.join(s.dir, 'kb.jsonl'), '{"id": "k2", "text": ""}\n{"id": "k3", "text": "third entry"}\n');
    const summary = await run(['kb.jsonl']);
    expect(summary.failed.map((f) => [f.source, f.reason])).toEqual([['kb.jsonl:1', 'empty']]);
    expect(summary).toMatchObject({ documents: 1, removed: 1 });
    expect(await ids()).toEqual(['k2', 'k3']);
  });

  it('keeps the last good copy of a file that fails this time', async () => {
    await run(['docs']);
    await writeFile(path.join(s.dir, 'docs/b.md'), Uint8Array.from([0x42, 0xe9, 0x74, 0x61]));
    const summary = await run(['docs']);
    expect(summary.failed).toEqual([{ source: 'docs/b.md', reason: 'not_utf8', detail: expect.any(String) }]);
    expect(summary.removed).toBe(0);
    expect(store.chunksOf('docs/b.md')[0]!.text).toBe('Beta text about bananas.');
  });

  it('re-chunks everything when the chunk settings or the access group change', async () => {
    await run(['docs']);
    expect(await run(['docs'], { chunkSize: 500 })).toMatchObject({ documents: 3, skipped: 0 });
    expect(await run(['docs'], { chunkSize: 500, accessGroup: 'staff' })).toMatchObject({ documents: 3, skipped: 0 });
    expect(store.chunksOf('docs/b.md')[0]!.accessGroup).toBe('staff');
  });

  it('--full rebuilds with a new embedder, carries other roots over, and drops vanished files', async () => {
    await run(['docs']);
    await run(['docs-old']);
    await rm(path.join(s.dir, 'docs/b.md'));
    const next = new HashEmbedder('hash-bow@2', 8);
    expect(isCairnError(await run(['docs'], {}, next).catch((e: unknown) => e), 'EMBEDDER_MISMATCH')).toBe(true);
    const summary = await ingestFull(options(s.dir, ['docs']), { store, embedder: next, logger: silentLogger, progress: new RecordingProgress() });
    expect(summary).toMatchObject({ documents: 2, skipped: 0, removed: 1, carriedOver: 1 });
    expect(store.calls.slice(-2)).toEqual(['beginRebuild', 'commit']);
    expect(await ids()).toEqual(['docs-old/d.md', 'docs/a.md', 'docs/sub/c.txt']);
    expect((await store.info()).embedder).toEqual({ id: 'hash-bow@2', dimensions: 8 });
    expect(store.vectorOf('docs-old/d.md#0')).toHaveLength(8);
    expect(store.chunksOf('docs-old/d.md')[0]!.text).toBe('A sibling folder whose name starts like docs.');
  });

  it('--full aborts the rebuild on an error and leaves the old index serving', async () => {
    await run(['docs']);
    const failing = new HashEmbedder('hash-bow@2', 8);
    failing.embedDocuments = async () => {
      throw new Error('embedding backend went away');
    };
    await expect(ingestFull(options(s.dir, ['docs']), { store, embedder: failing, logger: silentLogger, progress: new RecordingProgress() })).rejects.toThrow('went away');
    expect(store.calls.at(-1)).toBe('abort');
    expect(await ids()).toEqual(['docs/a.md', 'docs/b.md', 'docs/sub/c.txt']);
    expect((await store.info()).embedder?.id).toBe('hash-bow@1');
  });
});
