import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, lineProgress } from '../../src/ingest/progress.js';
import { formatSummary, nothingIngested, type IngestSummary } from '../../src/ingest/summary.js';

function capture(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean; columns?: number }; text: () => string } {
  const stream: PassThrough & { isTTY?: boolean; columns?: number } = new PassThrough();
  stream.isTTY = isTTY;
  stream.columns = 120;
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString()));
  return { stream, text: () => out };
}

const SUMMARY: IngestSummary = { files: 5, documents: 3, chunks: 12, skipped: 1, removed: 0, carriedOver: 0, failed: [], warnings: [], seconds: 2.345 };

describe('progress', () => {
  it('prints plain lines: the phase, every 10 %, and each skipped file', () => {
    const { stream, text } = capture(false);
    const p = lineProgress(stream);
    p.start('embedding', 20);
    for (let i = 1; i <= 20; i++) p.update('embedding', i);
    p.failed({ source: 'docs/bad.pdf', reason: 'not_utf8', detail: 'not valid UTF-8 text' });
    p.finish();
    const lines = text().trim().split('\n');
    expect(lines[0]).toBe('embedding: 20 chunks');
    expect(lines.slice(1, 11)).toEqual(Array.from({ length: 10 }, (_, i) => `embedding: ${(i + 1) * 10}% (${(i + 1) * 2}/20)`));
    expect(lines[11]).toBe('skipped docs/bad.pdf: not-utf8 (not valid UTF-8 text)');
    expect(lines).toHaveLength(12);
  });

  it('draws a bar on a terminal and plain lines elsewhere', async () => {
    const tty = capture(true);
    const bar = createProgress(tty.stream);
    bar.start('reading', 4);
    bar.update('reading', 4);
    bar.failed({ source: 'docs/x.md', reason: 'empty', detail: 'the file is empty' });
    bar.finish();
    expect(tty.text()).toContain('skipped docs/x.md: empty (the file is empty)');
    expect(tty.text()).toMatch(/reading\s+\S*\s*100% \| 4\/4 files/);
    const plain = capture(false);
    const lines = createProgress(plain.stream);
    lines.start('reading', 4);
    expect(plain.text()).toBe('reading: 4 files\n');
  });
});

describe('summary', () => {
  it('lists counts, seconds and every failure by name', () => {
    const text = formatSummary({ ...SUMMARY, failed: [{ source: 'docs/big.pdf', reason: 'oversized', detail: '31.2 MB > 20 MB limit' }] });
    expect(text).toBe(
      ['Done in 2.3 s: 3 documents ingested (12 chunks), 1 unchanged, 0 removed, 1 failed.', 'Failed:', '  docs/big.pdf: oversized (31.2 MB > 20 MB limit)'].join('\n'),
    );
  });

  it('tells "nothing ingested" apart from a run that did something', () => {
    expect(nothingIngested(SUMMARY)).toBe(false);
    expect(nothingIngested({ ...SUMMARY, documents: 0 })).toBe(false);
    const allFailed = { ...SUMMARY, documents: 0, chunks: 0, skipped: 0, failed: [{ source: 'a.md', reason: 'empty' as const, detail: '' }] };
    expect(nothingIngested(allFailed)).toBe(true);
    expect(formatSummary(allFailed)).toContain('Nothing was ingested: every file failed');
    const noFiles = { ...SUMMARY, files: 0, documents: 0, chunks: 0, skipped: 0 };
    expect(nothingIngested(noFiles)).toBe(true);
    expect(formatSummary(noFiles)).toContain('no supported files found');
    expect(nothingIngested({ ...noFiles, removed: 2 })).toBe(false);
  });
});
