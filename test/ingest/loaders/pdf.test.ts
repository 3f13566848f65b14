import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFile } from '../../../src/ingest/loaders/index.js';
import { makePdf } from '../helpers/pdf.js';
import { LOAD, scratch } from '../helpers/tree.js';

describe('PDF loader', () => {
  let s: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => s.cleanup());

  const load = async (name: string, bytes: Uint8Array) => {
    await s.write({ [name]: bytes });
    return loadFile({ absPath: `${s.dir}/${name}`, source: `docs/${name}`, format: 'pdf' }, LOAD);
  };

  it('extracts the text of every page and the title from the PDF metadata', async () => {
    const { documents, failures } = await load('policy.pdf', makePdf(['Travel is booked through the desk.\nKeep receipts.', 'Page two: refunds take ten days.'], { title: 'Travel policy' }));
    expect(failures).toEqual([]);
    expect(documents[0]).toMatchObject({ id: 'docs/policy.pdf', title: 'Travel policy', format: 'pdf' });
    expect(documents[0]!.text).toBe('Travel is booked through the desk.\nKeep receipts.\n\nPage two: refunds take ten days.');
  });

  it('falls back to the file name for the title', async () => {
    const { documents } = await load('handbook-2024.pdf', makePdf(['Some text.']));
    expect(documents[0]!.title).toBe('handbook-2024');
  });

  it('reports a truncated PDF as corrupt', async () => {
    const whole = makePdf(['This file will be cut short.']);
    const { documents, failures } = await load('cut.pdf', whole.slice(0, 120));
    expect(documents).toEqual([]);
    expect(failures).toEqual([{ source: 'docs/cut.pdf', reason: 'corrupt', detail: expect.stringMatching(/could not be parsed/) }]);
  });

  it('reports a PDF without extractable text as empty', async () => {
    const { failures } = await load('scan.pdf', makePdf(['']));
    expect(failures).toEqual([{ source: 'docs/scan.pdf', reason: 'empty', detail: expect.stringContaining('OCR') }]);
  });
});
