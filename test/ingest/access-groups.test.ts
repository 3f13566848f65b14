import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessRulesFile } from '../../src/ingest/access-groups.js';
import { ingest, ingestFull, type IngestOptions } from '../../src/ingest/pipeline.js';
import { HashEmbedder } from './helpers/fake-embedder.js';
import { MemoryStore } from './helpers/memory-store.js';
import { options, RecordingProgress, scratch, silentLogger } from './helpers/tree.js';

describe('access groups survive every re-ingest', () => {
  let s: Awaited<ReturnType<typeof scratch>>;
  let store: MemoryStore;
  let dataDir: string;
  beforeEach(async () => {
    s = await scratch();
    store = new MemoryStore();
    dataDir = path.join(s.dir, 'data');
    await s.write({
      'docs/handbook.md': '# Handbook\n\nWelcome to the company.',
      'docs/hr/bonus.md': '# Bonus\n\nThe bonus pool is 12% of salary.',
      'docs/hr/open.md': '---\naccess_group: public\n---\n# Open roles\n\nWe are hiring.',
    });
  });
  afterEach(async () => s.cleanup());

  // Every run reads the rules from the data directory afresh, as separate commands would.
  const deps = () => ({ store, embedder: new HashEmbedder(), logger: silentLogger, progress: new RecordingProgress(), accessRules: new AccessRulesFile(dataDir) });
  const run = (paths: string[], extra: Partial<IngestOptions> = {}) => ingest(options(s.dir, paths, extra), deps());
  const groups = async () => Object.fromEntries((await store.listDocuments()).map((d) => [d.docId, d.accessGroup]));

  it('keeps a folder’s --access-group through a start, a /cairn-reindex and a full rebuild of its parent', async () => {
    await run(['docs/hr'], { accessGroup: 'hr' });
    expect((await groups())['docs/hr/bonus.md']).toBe('hr');
    // `cairn start` and `/cairn-reindex` ingest DOCS_DIR with no flag.
    const again = await run(['docs']);
    expect(again).toMatchObject({ documents: 1, skipped: 2 });
    expect((await groups())['docs/hr/bonus.md']).toBe('hr');
    await ingestFull(options(s.dir, ['docs']), deps());
    expect((await groups())['docs/hr/bonus.md']).toBe('hr');
    expect((await groups())['docs/handbook.md']).toBe('public');
  });

  it('restores the group from the folder rule even when the index is gone', async () => {
    await run(['docs/hr'], { accessGroup: 'hr' });
    store = new MemoryStore();
    await run(['docs']);
    expect((await groups())['docs/hr/bonus.md']).toBe('hr');
  });

  it('keeps the group a document is indexed with when a later command names a weaker one, and says so', async () => {
    // Indexed as hr before folder rules were remembered (an index from an earlier version).
    await ingest(options(s.dir, ['docs/hr/bonus.md'], { accessGroup: 'hr' }), { ...deps(), accessRules: new AccessRulesFile(null) });
    const weaker = await run(['docs'], { accessGroup: 'public' });
    expect((await groups())['docs/hr/bonus.md']).toBe('hr');
    expect(weaker.warnings).toEqual([expect.stringMatching(/^docs\/hr\/bonus\.md: .*the rule for docs says public.*keeping hr, the stricter/)]);
  });

  it('lets the stricter group win over a document’s own public front matter, with a warning naming it', async () => {
    const summary = await run(['docs/hr'], { accessGroup: 'hr' });
    expect((await groups())['docs/hr/open.md']).toBe('hr');
    expect(summary.warnings).toEqual([expect.stringContaining('docs/hr/open.md: its own access_group says public, the rule for docs/hr says hr; keeping hr')]);
  });

  it('between two private groups, the document’s own front matter decides', async () => {
    await writeFile(path.join(s.dir, 'docs/hr/bonus.md'), '---\naccess_group: payroll\n---\n# Bonus\n\nThe bonus pool is 12% of salary.');
    const summary = await run(['docs/hr'], { accessGroup: 'hr' });
    expect((await groups())['docs/hr/bonus.md']).toBe('payroll');
    expect(summary.warnings.some((w) => w.startsWith('docs/hr/bonus.md: its own access_group says payroll'))).toBe(true);
  });

  it('--reset-access changes a group on purpose, and the new one sticks', async () => {
    await run(['docs/hr'], { accessGroup: 'hr' });
    await run(['docs/hr'], { accessGroup: 'public', resetAccess: true });
    expect((await groups())['docs/hr/bonus.md']).toBe('public');
    await run(['docs']);
    expect((await groups())['docs/hr/bonus.md']).toBe('public');
  });

  it('refuses to ingest over an unreadable rules file rather than guess', async () => {
    await s.write({ 'data/access-rules.json': '{"rules": {"docs/hr": ' });
    await expect(run(['docs'])).rejects.toThrow(/access-rules\.json is not valid JSON/);
  });
});
