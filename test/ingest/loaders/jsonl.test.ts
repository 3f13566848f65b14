import { describe, expect, it } from 'vitest';
import { loadFile } from '../../../src/ingest/loaders/index.js';
import { loadJsonl } from '../../../src/ingest/loaders/jsonl.js';
import { fixture, LOAD } from '../helpers/tree.js';

describe('JSONL loader', () => {
  it('makes one document per good line and reports each bad line by file:line', async () => {
    const { documents, failures, keep } = await loadFile(fixture('corpus.jsonl'), LOAD);
    expect(documents.map((d) => d.id)).toEqual(['kb-1', 'kb-2', 'kb-4']);
    expect(documents[0]).toMatchObject({ source: 'fixtures/corpus.jsonl#kb-1', url: 'https://kb.example/kb-1', title: 'Resetting a password', format: 'jsonl' });
    expect(documents[1]).toMatchObject({ title: 'VPN setup', source: 'fixtures/corpus.jsonl#kb-2' });
    expect(documents[1]!.text).not.toContain('title:');
    expect(documents[1]!.url).toBeUndefined();
    expect(documents[0]!.declaredAccessGroup).toBeUndefined();
    expect(documents[2]!.declaredAccessGroup).toBe('staff');
    expect(failures.map((f) => [f.source, f.reason])).toEqual([
      ['fixtures/corpus.jsonl:3', 'corrupt'],
      ['fixtures/corpus.jsonl:4', 'invalid'],
      ['fixtures/corpus.jsonl:7', 'empty'],
    ]);
    expect(keep.docIds).toEqual(['kb-3', 'kb-5']);
  });

  it('reports a repeated id as a duplicate and keeps the first', () => {
    const file = { absPath: '/unused', source: 'kb.jsonl', format: 'jsonl' as const };
    const text = ['{"id": 7, "text": "first"}', '{"id": "7", "text": "second"}'].join('\n');
    const { documents, failures } = loadJsonl(text, file, LOAD);
    expect(documents.map((d) => [d.id, d.text, d.title])).toEqual([['7', 'first', '7']]);
    expect(failures).toEqual([{ source: 'kb.jsonl:2', reason: 'duplicate', detail: expect.stringContaining('"7"') }]);
  });
});
