import type { Config, SourceConfig } from '../config/config.js';
import { CairnError } from '../core/errors.js';
import { formatSummary } from '../ingest/summary.js';
import { buildSource } from './build.js';
import { syncSource, type SyncDeps, type SyncReport, type SyncSettings } from './sync.js';

export interface SyncAllOptions {
  /** One source; all of them when absent. */
  id?: string;
  full: boolean;
  cwd: string;
  signal?: AbortSignal;
}

export interface RemovedSource {
  id: string;
  documents: number;
}

/**
 * Syncs the configured sources one after another; each one's failure stays in its own report. A full
 * sync of every source also removes the documents of sources no longer in the file (their state says
 * which), after a log line naming the count: a source dropped by mistake is then one `--full` away
 * from being lost, never lost by an ordinary sync.
 */
export async function syncSources(config: Config, deps: SyncDeps, options: SyncAllOptions): Promise<{ reports: SyncReport[]; removed: RemovedSource[] }> {
  const reports: SyncReport[] = [];
  for (const source of chooseSources(config, options.id)) reports.push(await syncConfigured(source, config, deps, options));
  const removed = options.full && options.id === undefined ? await removeUnconfigured(config.sources.map((s) => s.id), deps) : [];
  return { reports, removed };
}

/** The source with this id, or every source; an unknown id is an error that names the known ones. */
export function chooseSources(config: Pick<Config, 'sources'>, id: string | undefined): SourceConfig[] {
  if (id === undefined) return config.sources;
  const chosen = config.sources.filter((s) => s.id === id);
  if (chosen.length === 0) throw new CairnError('INPUT', unknownSource(config, id));
  return chosen;
}

export function unknownSource(config: Pick<Config, 'sources'>, id: string): string {
  return `No source "${id}" in the sources file; configured: ${config.sources.map((s) => s.id).join(', ')}.`;
}

/** Syncs one configured source with the settings the config gives every sync. */
export function syncConfigured(source: SourceConfig, config: Config, deps: SyncDeps, options: Omit<SyncAllOptions, 'id'>): Promise<SyncReport> {
  const settings: SyncSettings = {
    chunking: { chunkSize: config.ingest.chunkSize, chunkOverlap: config.ingest.chunkOverlap },
    batchSize: config.embedding.batchSize,
    defaultGroup: config.ingest.defaultAccessGroup,
    publicGroups: config.access.publicGroups,
    full: options.full,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return syncSource(buildSource(source, config, options.cwd), settings, deps);
}

/** A run's report as the CLI and /cairn-reindex print it. */
export function formatReport(r: SyncReport): string {
  const stats = Object.entries(r.stats).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${r.id}: ${r.status === 'ok' ? 'synced' : `FAILED: ${r.error}`}${stats ? ` (${stats})` : ''}\n${formatSummary(r.summary)}`;
}

async function removeUnconfigured(configured: string[], deps: SyncDeps): Promise<RemovedSource[]> {
  const removed: RemovedSource[] = [];
  for (const id of await deps.state.ids()) {
    if (configured.includes(id)) continue;
    const state = await deps.state.load(id);
    const docIds = Object.values(state.items).flatMap((item) => item.docIds);
    deps.logger.warn({ source: id, documents: docIds.length }, `source "${id}" is no longer in the sources file: removing its ${docIds.length} documents`);
    if (docIds.length > 0) await deps.store.deleteDocuments(docIds);
    await deps.state.remove(id);
    removed.push({ id, documents: docIds.length });
  }
  return removed;
}
