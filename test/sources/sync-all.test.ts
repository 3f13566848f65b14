import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import { syncSources } from '../../src/sources/sync-all.js';
import { world } from './helpers/sync.js';

describe('syncing the configured sources', () => {
  let w: Awaited<ReturnType<typeof world>>;
  const logged: Array<{ msg: string; documents?: number }> = [];
  beforeEach(async () => {
    w = await world();
    logged.length = 0;
    for (const [rel, text] of Object.entries({ 'a/one.md': '# One\n\nFirst folder text.', 'a/two.md': '# Two\n\nMore first folder text.', 'b/three.md': '# Three\n\nSecond folder text.' })) {
      await mkdir(path.dirname(path.join(w.dir, rel)), { recursive: true });
      await writeFile(path.join(w.dir, rel), text);
    }
  });
  afterEach(async () => w.cleanup());

  const config = async (yaml: string): Promise<Config> => {
    await writeFile(path.join(w.dir, 'cairn.sources.yaml'), yaml);
    return loadConfig({ CHUNK_SIZE: '400', CHUNK_OVERLAP: '60' }, w.dir);
  };
  const logger = pino({ level: 'info' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  const run = async (cfg: Config, full: boolean) => syncSources(cfg, { ...w.deps(), logger }, { full, cwd: w.dir });
  const ids = async () => (await w.store.listDocuments()).map((d) => d.docId).sort();

  it('a source removed from the file loses its documents at the next full sync, after a log line with the count', async () => {
    await run(await config('- {id: a, type: folder, path: a}\n- {id: b, type: folder, path: b}\n'), false);
    expect(await ids()).toEqual(['a/one.md', 'a/two.md', 'b/three.md']);
    const onlyB = await config('- {id: b, type: folder, path: b}\n');
    await run(onlyB, false);
    expect(await ids()).toHaveLength(3);
    const { removed } = await run(onlyB, true);
    expect(removed).toEqual([{ id: 'a', documents: 2 }]);
    expect(logged.find((l) => l.msg.includes('no longer in the sources file'))).toMatchObject({ documents: 2, msg: expect.stringContaining('removing its 2 documents') });
    expect(await ids()).toEqual(['b/three.md']);
  });

  it('one source failing leaves the others and its own documents alone', async () => {
    await run(await config('- {id: a, type: folder, path: a}\n- {id: b, type: folder, path: b}\n'), false);
    const { reports } = await run(await config('- {id: a, type: folder, path: gone}\n- {id: b, type: folder, path: b}\n'), false);
    expect(reports.map((r) => r.status)).toEqual(['failed', 'ok']);
    expect(reports[0]!.error).toMatch(/fix its `path` setting/);
    expect(await ids()).toEqual(['a/one.md', 'a/two.md', 'b/three.md']);
  });

  it('the folder source maps paths to URLs with url_base and does not re-read untouched files', async () => {
    const cfg = await config('- {id: a, type: folder, path: a, url_base: "https://kb.example/"}\n');
    await run(cfg, false);
    expect(w.store.chunksOf('a/one.md')[0]).toMatchObject({ url: 'https://kb.example/one' });
    const embedded = w.embedder.embedded.length;
    const again = await run(cfg, false);
    expect(again.reports[0]!.summary).toMatchObject({ documents: 0, skipped: 2 });
    expect(w.embedder.embedded.length).toBe(embedded);
  });
});
