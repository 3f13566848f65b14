/**
 * `node --import tsx bench/api-sources.ts [--items 1000]`: the GitHub and Confluence sources against
 * the local API fakes of the tests over real HTTP, with a stub embedder (embedding apart) and an
 * in-memory store:
 * 1. first sync (items/s, requests);
 * 2. a second sync with nothing changed (requests made, items re-embedded; goal 0);
 * 3. 10 items changed and 10 deleted (exactly those re-embedded and removed).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { silentProgress } from '../src/ingest/progress.js';
import { confluenceSource } from '../src/sources/confluence/source.js';
import { githubSource } from '../src/sources/github.js';
import type { Source } from '../src/sources/source.js';
import { SourceStateStore } from '../src/sources/state.js';
import { syncSource } from '../src/sources/sync.js';
import { HashEmbedder } from '../test/ingest/helpers/fake-embedder.js';
import { MemoryStore } from '../test/ingest/helpers/memory-store.js';
import { FakeConfluence } from '../test/sources/helpers/confluence-api.js';
import { FakeGitHub } from '../test/sources/helpers/github-api.js';

const items = Number(process.argv[process.argv.indexOf('--items') + 1]) || 1000;
const CHUNKING = { chunkSize: 1200, chunkOverlap: 200 };
const ctx = { chunking: CHUNKING, maxBytes: 1 << 20 };
const text = (i: number, v: number) => `Item ${i} version ${v}. ` + 'Widgets are configured in the settings file, one section per widget. '.repeat(12);

interface Fake {
  requests: string[];
  source(): Source;
  change(i: number): void;
  remove(i: number): void;
  stop(): Promise<void>;
}

async function github(): Promise<Fake> {
  const gh = await new FakeGitHub().start();
  for (let i = 0; i < items; i++) gh.files.set(`docs/page-${i}.md`, `# Page ${i}\n\n${text(i, 1)}`);
  return {
    requests: gh.requests,
    source: () => githubSource('bench', { repo: 'acme/handbook', branch: 'main', paths: ['docs'], include: [], exclude: [], baseUrl: gh.apiUrl, authHint: 'token_env', accessGroups: {} }, ctx),
    change: (i) => gh.files.set(`docs/page-${i}.md`, `# Page ${i}\n\n${text(i, 2)}`),
    remove: (i) => gh.files.delete(`docs/page-${i}.md`),
    stop: () => gh.stop(),
  };
}

async function confluence(): Promise<Fake> {
  const cf = await new FakeConfluence().start();
  cf.maxLimit = 250;
  for (let i = 0; i < items; i++) cf.putPage(String(i + 1), 'ENG', `Page ${i}`, `<h1>Page ${i}</h1><p>${text(i, 1)}</p>`);
  return {
    requests: cf.requests,
    source: () => confluenceSource('bench', { baseUrl: cf.origin, spaces: ['ENG'], include: [], exclude: [], headers: {}, authHint: 'token_env', accessGroups: {} }, ctx),
    change: (i) => cf.putPage(String(i + 1), 'ENG', `Page ${i}`, `<h1>Page ${i}</h1><p>${text(i, 2)}</p>`),
    remove: (i) => cf.pages.delete(String(i + 1)),
    stop: () => cf.stop(),
  };
}

async function scenario(fake: Fake) {
  const dir = await mkdtemp(path.join(tmpdir(), 'cairn-bench-api-sources-'));
  const embedder = new HashEmbedder();
  const deps = { store: new MemoryStore(), embedder, logger: pino({ level: 'silent' }), progress: silentProgress(), state: new SourceStateStore(path.join(dir, 'sources')) };
  const settings = { chunking: CHUNKING, batchSize: 64, defaultGroup: 'public', publicGroups: ['public'], full: false };
  const run = async () => {
    fake.requests.length = 0;
    const started = performance.now();
    const report = await syncSource({ source: fake.source() }, settings, deps);
    return { seconds: (performance.now() - started) / 1000, requests: fake.requests.length, reembedded: report.summary.documents, removed: report.summary.removed, status: report.status };
  };
  const first = await run();
  const second = await run();
  for (let i = 0; i < 10; i++) fake.change(i);
  for (let i = 10; i < 20; i++) fake.remove(i);
  const third = await run();
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
  return { first, second, third };
}

for (const [name, make] of [['GitHub repository', github], ['Confluence space', confluence]] as const) {
  const r = await scenario(await make());
  console.log(`\n${name}, ${items} items`);
  console.log(`  first sync:   ${r.first.seconds.toFixed(2)} s, ${Math.round(items / r.first.seconds)} items/s, ${r.first.requests} requests, ${r.first.reembedded} documents embedded (${r.first.status})`);
  console.log(`  no change:    ${r.second.seconds.toFixed(2)} s, ${r.second.requests} requests, ${r.second.reembedded} re-embedded, ${r.second.removed} removed`);
  console.log(`  10 changed, 10 deleted: ${r.third.seconds.toFixed(2)} s, ${r.third.requests} requests, ${r.third.reembedded} re-embedded, ${r.third.removed} removed`);
}
