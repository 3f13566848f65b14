import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import { syncSources } from '../../src/sources/sync-all.js';
import { TestSite } from './helpers/site.js';
import { world } from './helpers/sync.js';

/** Item 6 (every document gets its source's group, `groups:` maps sub-parts), the duplicate-id guard, `.gz` sitemaps. */
describe('source access groups, duplicate document ids and gzipped sitemaps', () => {
  let w: Awaited<ReturnType<typeof world>>;
  let site: TestSite;
  beforeEach(async () => {
    w = await world();
    site = await new TestSite().start();
    for (const [rel, text] of Object.entries({ 'kb/guide.md': '# Guide\n\nHow to install.', 'kb/hr/leave.md': '# Leave\n\nTwenty-five days.', 'kb/eng/oncall.md': '# On-call\n\nPage the on-call.' })) {
      await mkdir(path.dirname(path.join(w.dir, rel)), { recursive: true });
      await writeFile(path.join(w.dir, rel), text);
    }
    site.page('/', 'Home', 'Welcome to the example documentation about widgets.');
    site.page('/guide', 'Guide', 'The guide explains how to install widgets with the installer.');
    site.page('/hr/pay', 'Pay', 'Salaries are paid on the last working day of the month.');
  });
  afterEach(async () => {
    await site.stop();
    await w.cleanup();
  });

  const config = async (yaml: string): Promise<Config> => {
    await writeFile(path.join(w.dir, 'cairn.sources.yaml'), yaml);
    return loadConfig({ CHUNK_SIZE: '400', CHUNK_OVERLAP: '60', DEFAULT_ACCESS_GROUP: 'public' }, w.dir);
  };
  const run = async (cfg: Config, full = false) => syncSources(cfg, w.deps(), { full, cwd: w.dir });
  const groups = async () => Object.fromEntries((await w.store.listDocuments()).map((d) => [d.docId, d.accessGroup]));

  it('a folder source gives every document its access_group, and groups: maps sub-folders to other groups', async () => {
    await run(await config('- {id: kb, type: folder, path: kb, access_group: staff, groups: {"hr/**": hr, "eng/**": eng}}\n'));
    expect(await groups()).toEqual({ 'kb/guide.md': 'staff', 'kb/hr/leave.md': 'hr', 'kb/eng/oncall.md': 'eng' });
  });

  it('a web source gives every page its access_group, and groups: maps URL paths and full URLs', async () => {
    site.sitemap('/sitemap.xml', [{ loc: '/' }, { loc: '/guide' }, { loc: '/hr/pay' }]);
    await run(await config(`- {id: site, type: web, url: "${site.origin}/", access_group: customers, requests_per_second: 1000, groups: {"${site.origin}/guide": guides, "/hr/**": hr}}\n`));
    expect(await groups()).toEqual({ [site.url('/')]: 'customers', [site.url('/guide')]: 'guides', [site.url('/hr/pay')]: 'hr' });
  });

  it('without access_group, a source\'s documents get DEFAULT_ACCESS_GROUP', async () => {
    await run(await config('- {id: kb, type: folder, path: kb}\n'));
    expect(new Set(Object.values(await groups()))).toEqual(new Set(['public']));
  });

  it('a document id another source already owns is reported and skipped, never overwritten or deleted by the second source', async () => {
    const cfg = await config('- {id: kb, type: folder, path: kb, access_group: staff}\n- {id: hr, type: folder, path: kb/hr, access_group: public}\n');
    const { reports } = await run(cfg);
    expect(reports[0]!.summary.failed).toEqual([]);
    expect(reports[1]!.summary.failed).toEqual([expect.objectContaining({ source: 'kb/hr/leave.md', reason: 'duplicate', detail: expect.stringContaining('already comes from source "kb"') })]);
    expect(reports[1]!.summary.documents).toBe(0);
    // The first source's document keeps its group (no "public" overwrite) and its owner.
    expect((await groups())['kb/hr/leave.md']).toBe('staff');
    expect((await w.state.load('hr')).items['kb/hr/leave.md']?.docIds).toEqual([]);
    // The second source dropping the file deletes nothing of the first source's.
    await run(await config('- {id: kb, type: folder, path: kb, access_group: staff}\n- {id: hr, type: folder, path: kb/hr, exclude: ["leave.md"]}\n'));
    expect(Object.keys(await groups())).toContain('kb/hr/leave.md');
  });

  it('reads a gzipped sitemap (sitemap.xml.gz, application/gzip) from a sitemap index', async () => {
    const xml = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${site.url('/guide')}</loc></url><url><loc>${site.url('/hr/pay')}</loc></url></urlset>`;
    site.routes.set('/pages.xml.gz', { headers: { 'content-type': 'application/gzip' }, body: gzipSync(xml) });
    site.sitemapIndex('/sitemap.xml', ['/pages.xml.gz']);
    const { reports } = await run(await config(`- {id: site, type: web, url: "${site.origin}/", requests_per_second: 1000}\n`));
    expect(reports[0]).toMatchObject({ status: 'ok', summary: { documents: 2 } });
    expect(Object.keys(await groups()).sort()).toEqual([site.url('/guide'), site.url('/hr/pay')]);
  });

  it('a gzipped sitemap that inflates past 50 MB stops the listing and deletes nothing', async () => {
    site.sitemap('/sitemap.xml', [{ loc: '/' }]);
    const cfg = await config(`- {id: site, type: web, url: "${site.origin}/", requests_per_second: 1000, mode: sitemap}\n`);
    await run(cfg);
    site.routes.set('/sitemap.xml', { headers: { 'content-type': 'application/gzip' }, body: gzipSync(Buffer.alloc(51 * 1024 * 1024, 0x20)) });
    const { reports } = await run(cfg);
    expect(reports[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/gzip content larger than 50/) });
    expect(Object.keys(await groups())).toEqual([site.url('/')]);
  });
});
