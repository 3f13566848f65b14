import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseSources } from '../../../src/config/sources.js';
import { buildSource } from '../../../src/sources/build.js';
import { SourceStateStore } from '../../../src/sources/state.js';
import type { SyncDeps, SyncSettings } from '../../../src/sources/sync.js';
import { webSource, type WebSettings } from '../../../src/sources/web/web-source.js';
import { HashEmbedder } from '../../ingest/helpers/fake-embedder.js';
import { MemoryStore } from '../../ingest/helpers/memory-store.js';
import { RecordingProgress, silentLogger } from '../../ingest/helpers/tree.js';

export const CHUNKING = { chunkSize: 400, chunkOverlap: 60 };

export function settings(extra: Partial<SyncSettings> = {}): SyncSettings {
  return { chunking: CHUNKING, batchSize: 16, defaultGroup: 'public', publicGroups: ['public'], full: false, ...extra };
}

/** A store, an embedder and a state directory shared by the runs of one test. */
export async function world() {
  const dir = await mkdtemp(path.join(tmpdir(), 'cairn-sources-'));
  const store = new MemoryStore();
  const embedder = new HashEmbedder();
  const state = new SourceStateStore(path.join(dir, 'sources'));
  const deps = (): SyncDeps & { progress: RecordingProgress } => ({ store, embedder, logger: silentLogger, progress: new RecordingProgress(), state });
  return { dir, store, embedder, state, deps, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function web(id: string, origin: string, extra: Partial<WebSettings> = {}, maxBytes = 256 * 1024) {
  const s: WebSettings = {
    url: `${origin}/`,
    mode: 'auto',
    sitemaps: [],
    allowedOrigins: [],
    include: [],
    exclude: [],
    maxDepth: 5,
    maxPages: 100,
    requestsPerSecond: 1000,
    headers: {},
    authHint: `auth_header_env of source "${id}"`,
    ...extra,
  };
  return webSource(id, s, { chunking: CHUNKING, maxBytes });
}

/** The connector `cairn.sources.yaml` would build from one entry, secrets read from `env`. */
export function fromYaml(yaml: string, env: Record<string, string>, cwd: string) {
  const [entry] = parseSources(yaml, 'cairn.sources.yaml', env);
  return buildSource(entry!, { ingest: { ...CHUNKING, maxFileBytes: 64 * 1024, defaultAccessGroup: 'public', docsDir: 'docs' } }, cwd);
}
