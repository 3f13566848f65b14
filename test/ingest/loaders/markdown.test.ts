import { afterEach, describe, expect, it } from 'vitest';
import { formatOf } from '../../../src/ingest/formats.js';
import { loadFile } from '../../../src/ingest/loaders/index.js';
import { fixture, LOAD, scratch } from '../helpers/tree.js';

describe('Markdown loader', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  async function loadInline(name: string, text: string) {
    const s = await scratch();
    cleanup = s.cleanup;
    await s.write({ [name]: text });
    return loadFile({ absPath: `${s.dir}/${name}`, source: `docs/${name}`, format: formatOf(name)! }, LOAD);
  }

  it('takes the front-matter title and access group, and strips the front matter', async () => {
    const { documents, failures } = await loadFile(fixture('docs/leave.md'), LOAD);
    expect(failures).toEqual([]);
    expect(documents).toHaveLength(1);
    const doc = documents[0]!;
    expect(doc).toMatchObject({ id: 'fixtures/docs/leave.md', source: 'fixtures/docs/leave.md', title: 'Leave policy', format: 'markdown', declaredAccessGroup: 'hr' });
    expect(doc.text).not.toContain('redirect_from');
    expect(doc.text.trimStart().startsWith('# Leave policy')).toBe(true);
    expect(doc.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('falls back to the first # heading, then to the file name, and to the default group', async () => {
    const travel = await loadFile(fixture('docs/travel.md'), LOAD);
    expect(travel.documents[0]).toMatchObject({ title: 'Travel guide' });
    expect(travel.documents[0]!.declaredAccessGroup).toBeUndefined();
    const bare = await loadInline('release-notes.md', 'Just a paragraph.\n\n## A second-level heading\n');
    expect(bare.documents[0]!.title).toBe('release-notes');
  });

  it('rejects an access group that is not a group name', async () => {
    const { documents, failures } = await loadInline('bad.md', '---\naccess_group: hr team\n---\nText.');
    expect(documents).toEqual([]);
    expect(failures).toEqual([{ source: 'docs/bad.md', reason: 'invalid', detail: expect.stringContaining('access_group') }]);
  });

  it('reports a file of nothing but front matter as empty', async () => {
    const { failures } = await loadInline('only-meta.md', '---\ntitle: Nothing\n---\n\n  \n');
    expect(failures).toEqual([{ source: 'docs/only-meta.md', reason: 'empty', detail: 'nothing but front matter' }]);
  });

  it('hashes everything in the document that changes the chunks, and nothing else (the access group is resolved later)', async () => {
    const file = fixture('docs/travel.md');
    const hash = async (over: Partial<typeof LOAD> = {}) => (await loadFile(file, { ...LOAD, ...over })).documents[0]!.hash;
    const base = await hash();
    expect(await hash()).toBe(base);
    expect(await hash({ chunking: { chunkSize: 500, chunkOverlap: 60 } })).not.toBe(base);
    expect(await hash({ chunking: { chunkSize: 400, chunkOverlap: 50 } })).not.toBe(base);
    expect(await hash({ maxFileBytes: 5000 })).toBe(base);
  });
});
