import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../src/ingest/chunker.js';
import { loadHtml } from '../../../src/ingest/loaders/html.js';
import { loadFile } from '../../../src/ingest/loaders/index.js';
import { isInputRejected } from '../../../src/ingest/failures.js';
import { fixture, LOAD } from '../helpers/tree.js';

const FILE = { absPath: '/unused/page.html', source: 'site/page.html', format: 'html' as const };

describe('HTML loader', () => {
  it('converts to Markdown, keeps headings and code, drops scripts, styles and navigation', async () => {
    const { documents, failures } = await loadFile(fixture('docs/page.html'), LOAD);
    expect(failures).toEqual([]);
    const doc = documents[0]!;
    expect(doc).toMatchObject({ title: 'Expenses & receipts', format: 'html' });
    expect(doc.text).toContain('# Claiming expenses');
    expect(doc.text).toContain('## Receipts');
    expect(doc.text).toContain('**30 days**');
    expect(doc.text).toContain('```json\n{"amount": 12.5,\n\n "currency": "EUR"}\n```');
    for (const junk of ['tracking', 'secretTracker', 'color: red', 'About']) expect(doc.text).not.toContain(junk);
    const chunks = await chunkDocument({ ...doc, accessGroup: 'public' }, LOAD.chunking);
    expect(chunks.find((c) => c.text.includes('Photograph'))?.headingPath).toEqual(['Claiming expenses', 'Receipts']);
  });

  it('takes the title from the first <h1> when there is no <title>, else the file name', () => {
    expect(loadHtml('<h1>Welcome &amp; hello</h1><p>Body</p>', FILE, LOAD).title).toBe('Welcome & hello');
    expect(loadHtml('<p>Body only</p>', FILE, LOAD).title).toBe('page');
  });

  it('keeps a table as a pipe table, one line per row, header first', () => {
    const html = '<table><thead><tr><th>Plan</th><th>Seats</th></tr></thead><tbody><tr><td><p>Team</p><p>(monthly)</p></td><td>10 | 20</td></tr><tr><td>Solo</td></tr></tbody></table>';
    expect(loadHtml(html, FILE, LOAD).text).toBe('| Plan | Seats |\n| --- | --- |\n| Team (monthly) | 10 \\| 20 |\n| Solo |  |');
  });

  it('rejects a page with no text outside scripts and styles as empty', () => {
    let caught: unknown;
    try {
      loadHtml('<html><head><script>var a = 1;</script></head><body><style>p{}</style></body></html>', FILE, LOAD);
    } catch (err) {
      caught = err;
    }
    expect(isInputRejected(caught) && caught.reason).toBe('empty');
  });
});
