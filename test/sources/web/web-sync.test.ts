import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncSource } from '../../../src/sources/sync.js';
import { TestSite } from '../helpers/site.js';
import { settings, web, world } from '../helpers/sync.js';

describe('web source against a local site', () => {
  let site: TestSite;
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    site = await new TestSite().start();
    w = await world();
    site.routes.set('/robots.txt', { headers: { 'content-type': 'text/plain' }, body: 'User-agent: *\nDisallow: /private/\n' });
    site.page('/', 'Home', 'Welcome to the example documentation about widgets.');
    site.page('/guide', 'Guide', 'The guide explains how to install widgets with the installer.');
    site.page('/faq', 'FAQ', 'Frequently asked questions about widget colours.');
    site.page('/private/secret', 'Secret', 'Nobody should index this page.');
  });
  afterEach(async () => {
    await site.stop();
    await w.cleanup();
  });

  const sync = (source = web('site', site.origin), extra = {}) => syncSource({ source }, settings(extra), w.deps());
  const ids = async () => (await w.store.listDocuments()).map((d) => d.docId).sort();

  it('lists a sitemap, strips page chrome, obeys robots.txt and links every chunk to its page', async () => {
    site.sitemap('/sitemap.xml', [{ loc: '/' }, { loc: '/guide' }, { loc: '/faq' }, { loc: '/private/secret' }]);
    const report = await sync();
    expect(report).toMatchObject({ status: 'ok', summary: { documents: 3, removed: 0 } });
    expect(await ids()).toEqual([site.url('/'), site.url('/faq'), site.url('/guide')]);
    expect(site.requests).not.toContain('/private/secret');
    expect(report.stats.skippedByRobots).toBe(1);
    const chunks = w.store.chunksOf(site.url('/guide'));
    expect(chunks[0]).toMatchObject({ url: site.url('/guide'), title: 'Guide' });
    expect(chunks.map((c) => c.text).join('\n')).toContain('install widgets');
    expect(chunks.map((c) => c.text).join('\n')).not.toMatch(/Pricing|footer/);
  });

  it('re-embeds nothing when pages answer 304, and removes a deleted page after a complete listing', async () => {
    site.sitemap('/sitemap.xml', [{ loc: '/' }, { loc: '/guide' }, { loc: '/faq' }]);
    await sync();
    const embedded = w.embedder.embedded.length;
    const second = await sync();
    expect(second.summary).toMatchObject({ documents: 0, skipped: 3, removed: 0 });
    expect(w.embedder.embedded.length).toBe(embedded);

    site.sitemap('/sitemap.xml', [{ loc: '/' }, { loc: '/guide' }]);
    site.routes.delete('/faq');
    const third = await sync();
    expect(third.summary).toMatchObject({ documents: 0, removed: 1 });
    expect(await ids()).toEqual([site.url('/'), site.url('/guide')]);
  });

  it('skips pages whose sitemap lastmod is unchanged without requesting them', async () => {
    site.sitemap('/sitemap.xml', [{ loc: '/', lastmod: '2025-01-01' }, { loc: '/guide', lastmod: '2025-01-01' }]);
    await sync();
    site.requests.length = 0;
    site.page('/guide', 'Guide', 'The guide now explains upgrades too.');
    site.sitemap('/sitemap.xml', [{ loc: '/', lastmod: '2025-01-01' }, { loc: '/guide', lastmod: '2025-02-01' }]);
    const report = await sync();
    expect(report.summary).toMatchObject({ documents: 1, skipped: 1 });
    expect(site.requests.filter((r) => !r.endsWith('.txt') && !r.endsWith('.xml'))).toEqual(['/guide']);
  });

  it('401 marks the source failed, names the setting to fix, and keeps its documents', async () => {
    site.sitemap('/sitemap.xml', [{ loc: '/' }, { loc: '/guide' }]);
    await sync();
    site.routes.set('/sitemap.xml', { status: 401 });
    const report = await sync();
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/401.*auth_header_env of source "site"/);
    expect(await ids()).toHaveLength(2);
    expect((await w.state.load('site')).lastRun).toMatchObject({ status: 'failed' });
  });

  it('403 on a page stops the sync the same way: nothing is deleted', async () => {
    site.sitemap('/sitemap.xml', [{ loc: '/' }, { loc: '/guide' }]);
    await sync();
    site.sitemap('/sitemap.xml', [{ loc: '/' }]);
    site.routes.set('/', { status: 403 });
    const report = await sync(web('site', site.origin), { full: true });
    expect(report).toMatchObject({ status: 'failed', summary: { removed: 0 } });
    expect(report.error).toMatch(/403/);
    expect(await ids()).toHaveLength(2);
  });

  it('waits out a 429 with Retry-After and carries on', async () => {
    site.sitemap('/sitemap.xml', [{ loc: '/' }, { loc: '/guide' }]);
    let limited = 0;
    const guide = site.routes.get('/guide')!;
    site.routes.set('/guide', (req) => (limited++ === 0 ? { status: 429, headers: { 'retry-after': '1' } } : typeof guide === 'function' ? guide(req) : guide));
    const started = Date.now();
    const report = await sync();
    expect(report).toMatchObject({ status: 'ok', summary: { documents: 2 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(site.requests.filter((r) => r === '/guide')).toHaveLength(2);
  });

  it('a 500 in the middle of a listing deletes nothing; the next run resumes where it stopped', async () => {
    site.sitemapIndex('/sitemap.xml', ['/sitemap-1.xml', '/sitemap-2.xml']);
    site.sitemap('/sitemap-1.xml', [{ loc: '/' }]);
    site.sitemap('/sitemap-2.xml', [{ loc: '/guide' }, { loc: '/faq' }]);
    await sync();
    site.sitemap('/sitemap-2.xml', [{ loc: '/guide' }]);
    const second = site.routes.get('/sitemap-2.xml')!;
    site.routes.set('/sitemap-2.xml', { status: 500 });
    const failed = await sync();
    expect(failed).toMatchObject({ status: 'failed', summary: { removed: 0 } });
    expect(failed.error).toMatch(/nothing was deleted/);
    expect(await ids()).toHaveLength(3);

    site.routes.set('/sitemap-2.xml', second);
    site.requests.length = 0;
    const resumed = await sync();
    expect(resumed).toMatchObject({ status: 'ok', summary: { removed: 1 } });
    expect(site.requests).not.toContain('/sitemap-1.xml');
    expect(await ids()).toEqual([site.url('/'), site.url('/guide')]);
  });

  it('reports and skips a huge page, a binary one and one that is not UTF-8', async () => {
    site.sitemap('/sitemap.xml', [{ loc: '/' }, { loc: '/huge' }, { loc: '/image' }, { loc: '/latin1' }]);
    site.routes.set('/huge', { headers: { 'content-type': 'text/html' }, body: `<p>${'x'.repeat(300 * 1024)}</p>` });
    site.routes.set('/image', { headers: { 'content-type': 'image/png' }, body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]) });
    site.routes.set('/latin1', { headers: { 'content-type': 'text/html; charset=iso-8859-1' }, body: new Uint8Array([0x3c, 0x70, 0x3e, 0x63, 0x61, 0x66, 0xe9, 0x3c, 0x2f, 0x70, 0x3e]) });
    const report = await sync();
    expect(report.status).toBe('ok');
    expect(report.summary.failed.map((f) => [f.source.replace(site.origin, ''), f.reason])).toEqual([
      ['/huge', 'oversized'],
      ['/image', 'binary'],
      ['/latin1', 'not_utf8'],
    ]);
    expect(await ids()).toEqual([site.url('/')]);
  });

  it('does not follow a redirect loop or a redirect to another origin', async () => {
    site.sitemap('/sitemap.xml', [{ loc: '/' }, { loc: '/loop-a' }, { loc: '/away' }, { loc: '/moved' }]);
    site.routes.set('/loop-a', { status: 301, headers: { location: '/loop-b' } });
    site.routes.set('/loop-b', { status: 301, headers: { location: '/loop-a' } });
    site.routes.set('/away', { status: 302, headers: { location: 'http://other.invalid/page' } });
    site.routes.set('/moved', { status: 301, headers: { location: '/guide' } });
    const report = await sync();
    expect(report.summary.failed.map((f) => [f.source.replace(site.origin, ''), f.reason])).toEqual([
      ['/loop-a', 'redirect'],
      ['/away', 'redirect'],
    ]);
    expect(w.store.chunksOf(site.url('/moved'))[0]).toMatchObject({ url: site.url('/guide') });
  });
});
