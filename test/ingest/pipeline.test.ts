import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexText } from '../../src/core/documents.js';
import { isCairnError } from '../../src/core/errors.js';
import { ingest } from '../../src/ingest/pipeline.js';
import { nothingIngested } from '../../src/ingest/summary.js';
import { HashEmbedder } from './helpers/fake-embedder.js';
import { MemoryStore } from './helpers/memory-store.js';
import { makePdf } from './helpers/pdf.js';
import { options, RecordingProgress, scratch, silentLogger } from './helpers/tree.js';

const GOOD = {
  'docs/guide.md': '# Guide\n\nHow to start.\n\n## Install\n\nRun the installer and follow the prompts.\n',
  'docs/notes.txt': 'Plain notes about the office.\n',
  'docs/report.pdf': makePdf(['Quarterly report: revenue grew.'], { title: 'Q3 report' }),
};
const GOOD_IDS = ['docs/guide.md', 'docs/notes.txt', 'docs/report.pdf'];

describe('ingest: bad inputs are reported by name and skipped, the rest still ingests', () => {
  let s: Awaited<ReturnType<typeof scratch>>;
  let store: MemoryStore;
  let embedder: HashEmbedder;
  let progress: RecordingProgress;
  beforeEach(async () => {
    s = await scratch();
    store = new MemoryStore();
    embedder = new HashEmbedder();
    progress = new RecordingProgress();
  });
  afterEach(async () => s.cleanup());
  const run = (extra: Parameters<typeof options>[2] = {}, paths = ['docs']) => ingest(options(s.dir, paths, extra), { store, embedder, logger: silentLogger, progress });

  const latin1 = Uint8Array.from([...'Caf', 0xe9, ...' au lait, cr', 0xe8, 'me'].flatMap((c) => (typeof c === 'number' ? [c] : [...c].map((ch) => ch.charCodeAt(0)))));
  const cases = [
    { name: 'a truncated PDF', file: 'docs/broken.pdf', content: makePdf(['This PDF is cut in half.']).slice(0, 150), reason: 'corrupt' },
    { name: 'a binary file', file: 'docs/image.md', content: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]), reason: 'binary' },
    { name: 'an empty file', file: 'docs/empty.md', content: '', reason: 'empty' },
    { name: 'a whitespace-only file', file: 'docs/blank.txt', content: '  \n\n\t\n', reason: 'empty' },
    { name: 'an oversized file', file: 'docs/huge.md', content: `# Huge\n\n${'word '.repeat(2000)}`, reason: 'oversized' },
    { name: 'a non-UTF-8 (Latin-1) file', file: 'docs/latin1.txt', content: latin1, reason: 'not_utf8' },
  ] as const;

  it.each(cases)('$name', async ({ file, content, reason }) => {
    await s.write({ ...GOOD, [file]: content });
    const summary = await run({ maxFileBytes: 5000 });
    expect(summary.failed).toEqual([{ source: file, reason, detail: expect.any(String) }]);
    expect(progress.failures).toEqual(summary.failed);
    expect(summary).toMatchObject({ files: 4, documents: 3, skipped: 0, removed: 0 });
    expect((await store.listDocuments()).map((d) => d.docId).sort()).toEqual(GOOD_IDS);
    expect(nothingIngested(summary)).toBe(false);
  });

  it('says how big an oversized file is against the limit', async () => {
    await s.write({ 'docs/huge.md': 'x'.repeat(3 * 1024 * 1024) });
    const summary = await run({ maxFileBytes: 2 * 1024 * 1024 });
    expect(summary.failed[0]).toEqual({ source: 'docs/huge.md', reason: 'oversized', detail: '3 MB > 2 MB limit' });
  });

  it('flags "nothing ingested" when every file fails or none is found, and not otherwise', async () => {
    await s.write({ 'docs/a.pdf': 'not a pdf', 'docs/b.md': '', 'empty-dir/.keep': '' });
    const allBad = await run();
    expect(allBad).toMatchObject({ files: 2, documents: 0, chunks: 0 });
    expect(allBad.failed.map((f) => f.reason)).toEqual(['corrupt', 'empty']);
    expect(nothingIngested(allBad)).toBe(true);
    const none = await run({}, ['empty-dir']);
    expect(none).toMatchObject({ files: 0, documents: 0, failed: [] });
    expect(nothingIngested(none)).toBe(true);
    const missing = await run({}, ['no-such-dir']);
    expect(missing.failed).toEqual([{ source: 'no-such-dir', reason: 'not_found', detail: 'no such file or directory' }]);
    expect(nothingIngested(missing)).toBe(true);
  });

  it('ingests the other paths when one path does not exist', async () => {
    await s.write(GOOD);
    const summary = await run({}, ['missing', 'docs']);
    expect(summary.failed.map((f) => f.source)).toEqual(['missing']);
    expect(summary.documents).toBe(3);
  });

  it('writes chunks with every field and embeds the breadcrumbed index text', async () => {
    await s.write(GOOD);
    const summary = await run({ accessGroup: 'eng' });
    const chunks = store.chunksOf('docs/guide.md');
    expect(summary.chunks).toBe(chunks.length + store.chunksOf('docs/notes.txt').length + store.chunksOf('docs/report.pdf').length);
    expect(chunks.map((c) => c.headingPath)).toEqual([[], ['Install']]);
    expect(chunks[1]).toMatchObject({ id: 'docs/guide.md#1', source: 'docs/guide.md', title: 'Guide', chunkIndex: 1, totalChunks: 2, accessGroup: 'eng', text: 'Run the installer and follow the prompts.' });
    expect(embedder.embedded).toContain(indexText(chunks[1]!));
    expect(embedder.embedded).toContain('Guide > Install\nRun the installer and follow the prompts.');
    expect(store.chunksOf('docs/report.pdf')[0]!.title).toBe('Q3 report');
    expect(store.vectorOf('docs/guide.md#1')).toEqual(await embedder.embedQuery(indexText(chunks[1]!)));
    expect((await store.info()).embedder).toEqual({ id: 'hash-bow@1', dimensions: 16 });
  });

  it('embeds in batches and reports progress for every phase', async () => {
    const many = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`docs/page-${i}.md`, `# Page ${i}\n\nText of page ${i}.`]));
    await s.write(many);
    const summary = await run({ embedBatchSize: 3 });
    expect(embedder.batchSizes).toEqual([3, 3, 1]);
    expect(progress.phases).toEqual([
      { phase: 'reading', total: 7 },
      { phase: 'embedding', total: 7 },
      { phase: 'writing', total: 7 },
    ]);
    expect(Object.fromEntries(progress.last)).toEqual({ reading: 7, embedding: 7, writing: 7 });
    expect(progress.finished).toBe(1);
    expect(summary.seconds).toBeGreaterThan(0);
  });

  it('fails early, before reading anything, when the index was built by another embedder', async () => {
    await s.write(GOOD);
    await run();
    const other = new HashEmbedder('other@2', 8);
    const err = await ingest(options(s.dir, ['docs']), { store, embedder: other, logger: silentLogger, progress }).catch((e: unknown) => e);
    expect(isCairnError(err, 'EMBEDDER_MISMATCH')).toBe(true);
    expect(other.embedded).toEqual([]);
  });

  it('refuses an overlap that is not smaller than the chunk size', async () => {
    const err = await run({ chunkSize: 300, chunkOverlap: 300 }).catch((e: unknown) => e);
    expect(isCairnError(err, 'INPUT')).toBe(true);
  });

  it('stops between batches when cancelled and keeps what it wrote', async () => {
    await s.write(Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`docs/p${i}.md`, `Text ${i}.`])));
    const controller = new AbortController();
    const original = embedder.embedDocuments.bind(embedder);
    embedder.embedDocuments = async (texts, onProgress) => {
      controller.abort();
      return original(texts, onProgress);
    };
    const err = await run({ embedBatchSize: 2, signal: controller.signal }).catch((e: unknown) => e);
    expect(isCairnError(err, 'INGEST')).toBe(true);
    expect((await store.listDocuments()).map((d) => d.docId)).toEqual(['docs/p0.md', 'docs/p1.md']);
    expect(progress.finished).toBe(1);
  });
});
