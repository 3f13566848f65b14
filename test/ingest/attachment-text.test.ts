import { describe, expect, it } from 'vitest';
import { attachmentText, readableAttachment } from '../../src/ingest/attachment-text.js';
import { makePdf } from './helpers/pdf.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('attachmentText: a question’s file read by the indexing loaders', () => {
  it('extracts a PDF’s pages as the PDF loader does for an indexed file', async () => {
    const text = await attachmentText('invoice.pdf', makePdf(['Invoice 17: total 420 EUR.', 'Paid by card.']));
    expect(text).toBe('Invoice 17: total 420 EUR.\n\nPaid by card.');
  });

  it('strips Markdown front matter and converts HTML to Markdown', async () => {
    expect(await attachmentText('notes.md', bytes('---\ntitle: Notes\n---\n# Heading\n\nBody.\n'))).toBe('# Heading\n\nBody.\n');
    expect(await attachmentText('page.html', bytes('<html><body><h1>Title</h1><p>Hello <b>there</b>.</p><script>x()</script></body></html>'))).toContain('# Title\n\nHello **there**.');
  });

  it('reads CSV, JSON and logs as plain text', async () => {
    for (const name of ['data.csv', 'config.json', 'server.log', 'events.jsonl']) {
      expect(await attachmentText(name, bytes('a,b\n1,2\n'))).toBe('a,b\n1,2\n');
    }
  });

  it('rejects what is not text, with a reason the asker can read', async () => {
    await expect(attachmentText('data.csv', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).rejects.toMatchObject({ reason: 'binary' });
    await expect(attachmentText('empty.txt', new Uint8Array())).rejects.toMatchObject({ reason: 'empty' });
    await expect(attachmentText('slides.pptx', bytes('PK'))).rejects.toMatchObject({ reason: 'unsupported' });
    expect(readableAttachment('slides.pptx')).toBe(false);
    expect(readableAttachment('REPORT.PDF')).toBe(true);
  });
});
