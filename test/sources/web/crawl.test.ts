import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncSource } from '../../../src/sources/sync.js';
import { TestSite } from '../helpers/site.js';
import { settings, web, world } from '../helpers/sync.js';

describe('web source crawl (no sitemap, no llms.txt)', () => {
  let site: TestSite;
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    site = await new TestSite().start();
    w = await world();
    site.routes.set('/robots.txt', { body: 'User-agent: *\nDisallow: /private/\n' });
    site.page('/', 'Home', 'Start page of the widget docs.', { links: ['/guide', '/private/keys', 'http://elsewhere.invalid/page', '#top'] });
    site.page('/guide', 'Guide', 'How to install widgets.', { links: ['/guide/deep', '/'] });
    site.page('/guide/deep', 'Deep', 'A page two links away from the start.', { links: ['/guide/deeper'] });
    site.page('/guide/deeper', 'Deeper', 'Three links away.');
    site.page('/private/keys', 'Keys', 'Disallowed by robots.txt.');
  });
  afterEach(async () => {
    await site.stop();
    await w.cleanup();
  });

  const ids = async () => (await w.store.listDocuments()).map((d) => d.docId.replace(site.origin, '')).sort();

  it('follows same-origin links up to the depth cap, never another origin or a robots.txt disallow', async () => {
    const report = await syncSource({ source: web('site', site.origin, { maxDepth: 2 }) }, settings(), w.deps());
    expect(report.status).toBe('ok');
    expect(await ids()).toEqual(['/', '/guide', '/guide/deep']);
    expect(site.requests).not.toContain('/private/keys');
    expect(report.stats).toMatchObject({ skippedOffSite: 1, skippedByRobots: 1 });
  });

  it('stops at the page cap', async () => {
    await syncSource({ source: web('site', site.origin, { maxPages: 2 }) }, settings(), w.deps());
    expect(await ids()).toHaveLength(2);
  });

  it('a second crawl gets 304s, re-embeds nothing, and still reaches pages behind an unchanged one', async () => {
    await syncSource({ source: web('site', site.origin) }, settings(), w.deps());
    const embedded = w.embedder.embedded.length;
    const report = await syncSource({ source: web('site', site.origin) }, settings(), w.deps());
    expect(report.summary).toMatchObject({ documents: 0, skipped: 4, removed: 0 });
    expect(w.embedder.embedded.length).toBe(embedded);
    expect(await ids()).toEqual(['/', '/guide', '/guide/deep', '/guide/deeper']);
  });
});
