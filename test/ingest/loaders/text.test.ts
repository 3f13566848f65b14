import { describe, expect, it } from 'vitest';
import { loadFile } from '../../../src/ingest/loaders/index.js';
import { fixture, LOAD } from '../helpers/tree.js';

describe('plain-text loader', () => {
  it('keeps the text as it is, titled by the file name', async () => {
    const { documents } = await loadFile(fixture('docs/notes.txt'), LOAD);
    expect(documents[0]).toMatchObject({ id: 'fixtures/docs/notes.txt', title: 'notes', format: 'text' });
    expect(documents[0]!.text).toContain('Visitors sign in at reception.');
  });
});
