/**
 * `node --import tsx bench/sources.ts [--pages 1000]`: the web source against a local site over real
 * HTTP, with a stub embedder (embedding apart) and an in-memory store.
 * 1. first sync of the whole site (pages/s);
 * 2. a second sync with nothing changed (requests made, items re-embedded; goal 0);
 * 3. 10 pages changed and 10 deleted (exactly those re-embedded and removed).
 * Run twice over: once with sitemap `lastmod`, once without (ETag → 304).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { silentProgress } from '../src/ingest/progress.js';
import { SourceStateStore } from '../src/sources/state.js';
import { syncSource } from '../src/sources/sync.js';
import { webSource } from '../src/sources/web/web-source.js';
import { HashEmbedder } from '../test/ingest/helpers/fake-embedder.js';
import { MemoryStore } from '../test/ingest/helpers/memory-store.js';
import { TestSite } from '../test/sources/helpers/site.js';

const pages = Number(process.argv[process.argv.indexOf('--pages') + 1]) || 1000;
const CHUNKING = { chunkSize: 1200, chunkOverlap: 200 };

async function scenario(withLastmod: boolean) {
  const site = await new TestSite().start();
  const dir = await mkdtemp(path.join(tmpdir(), 'cairn-bench-sources-'));
  const paths = Array.from({ length: pages }, (_, i) => `/docs/page-${i}`);
  const lastmod = new Map(paths.map((p) => [p, '2025-01-01']));
  const body = (p: string, v: number) => `${p} version ${v}. ` + 'Widgets are configured in the settings file, one section per widget. '.repeat(12);
  paths.forEach((p) => site.page(p, `Page ${p}`, body(p, 1)));
  const writeSitemap = () => site.sitemap('/sitemap.xml', paths.filter((p) => site.routes.has(p)).map((p) => ({ loc: p, ...(withLastmod ? { lastmod: lastmod.get(p)! } : {}) })));
  writeSitemap();
  const store = new MemoryStore();
  const embedder = new HashEmbedder();
  const deps = { store, embedder, logger: pino({ level: 'silent' }), progress: silentProgress(), state: new SourceStateStore(path.join(dir, 'sources')) };
  const settings = { chunking: CHUNKING, batchSize: 64, defaultGroup: 'public', publicGroups: ['public'], full: false };
  const source = () =>
    webSource('bench', { url: `${site.origin}/`, mode: 'auto', sitemaps: [], allowedOrigins: [], include: [], exclude: [], maxDepth: 5, maxPages: 100_000, requestsPerSecond: 100_000, headers: {}, authHint: 'auth_header_env' }, { chunking: CHUNKING, maxBytes: 1 << 20 });
  const run = async () => {
    site.requests.length = 0;
    const embeddedBefore = embedder.embedded.length;
    const started = performance.now();
    const report = await syncSource({ source: source() }, settings, deps);
    const seconds = (performance.now() - started) / 1000;
    return { seconds, requests: site.requests.length, reembedded: report.summary.documents, chunksEmbedded: embedder.embedded.length - embeddedBefore, removed: report.summary.removed, status: report.status };
  };

  const first = await run();
  const second = await run();
  const changed = paths.slice(0, 10);
  const deleted = paths.slice(10, 20);
  changed.forEach((p) => {
    site.page(p, `Page ${p}`, body(p, 2));
    lastmod.set(p, '2025-02-01');
  });
  deleted.forEach((p) => site.routes.delete(p));
  writeSitemap();
  const third = await run();
  await site.stop();
  await rm(dir, { recursive: true, force: true });
  return { first: { ...first, pagesPerSecond: Math.round(pages / first.seconds) }, second, third };
}

for (const withLastmod of [true, false]) {
  const r = await scenario(withLastmod);
  console.log(`\n${pages}-page site, sitemap ${withLastmod ? 'with' : 'without'} lastmod`);
  console.log(`  first sync:   ${r.first.seconds.toFixed(2)} s, ${r.first.pagesPerSecond} pages/s, ${r.first.requests} requests, ${r.first.reembedded} documents embedded (${r.first.status})`);
  console.log(`  no change:    ${r.second.seconds.toFixed(2)} s, ${r.second.requests} requests, ${r.second.reembedded} re-embedded, ${r.second.removed} removed`);
  console.log(`  10 changed, 10 deleted: ${r.third.seconds.toFixed(2)} s, ${r.third.requests} requests, ${r.third.reembedded} re-embedded, ${r.third.removed} removed`);
}
