import path from 'node:path';
import type { SourceConfig } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { silentProgress, type IngestProgress } from '../ingest/index.js';
import type { Metrics } from '../observability/metrics.js';
import type { Runtime } from '../runtime.js';
import type { Leases } from '../shared-state/lease.js';
import { chooseSources, emptySummary, SourceStateStore, syncConfigured, type SourceState, type SyncReport } from '../sources/index.js';

export type SyncTrigger = 'schedule' | 'manual';

/** A sync that did not run because this source is already syncing (a schedule, an admin, another replica). */
export interface SyncBusy {
  id: string;
  status: 'busy';
}

export interface SourceSyncerDeps {
  runtime: Pick<Runtime, 'config' | 'store' | 'embedder' | 'accessRules'>;
  leases: Leases;
  metrics: Metrics;
  logger: Logger;
  /** What relative folder paths in the sources file are relative to. */
  cwd: string;
}

/** The lease a source's sync holds on every replica. */
export const sourceLease = (id: string): string => `source-sync:${id}`;

/**
 * Runs source syncs for the bot: each under its source's lease, so a source never syncs twice at once
 * (a schedule and an admin, or two replicas), and one after another in this process, so two sources
 * never write the index at the same moment. Every run is logged and measured; a run that throws is a
 * failed run in the report, never an exception that reaches the caller's loop.
 */
export class SourceSyncer {
  readonly state: SourceStateStore;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SourceSyncerDeps) {
    this.state = new SourceStateStore(path.join(deps.runtime.config.dataDir, 'sources'));
  }

  get sources(): SourceConfig[] {
    return this.deps.runtime.config.sources;
  }

  /** The sources a run with this id covers; an unknown id throws an INPUT error naming the known ones. */
  choose(id: string | undefined): SourceConfig[] {
    return chooseSources(this.deps.runtime.config, id);
  }

  async sync(source: SourceConfig, opts: { trigger: SyncTrigger; progress?: IngestProgress; signal?: AbortSignal }): Promise<SyncReport | SyncBusy> {
    const { logger, metrics } = this.deps;
    const lease = await this.deps.leases.acquire(sourceLease(source.id));
    if (!lease) {
      logger.info({ source: source.id, trigger: opts.trigger }, 'source sync skipped: this source is already syncing');
      return { id: source.id, status: 'busy' };
    }
    try {
      const turn = this.queue.then(() => this.run(source, opts));
      this.queue = turn.catch(() => undefined);
      const report = await turn;
      metrics.sourceSyncDuration.observe({ source: source.id, trigger: opts.trigger, outcome: report.status }, report.summary.seconds);
      if (report.status === 'failed') metrics.sourceSyncErrors.inc({ source: source.id, kind: 'sync' });
      if (report.summary.failed.length > 0) metrics.sourceSyncErrors.inc({ source: source.id, kind: 'item' }, report.summary.failed.length);
      metrics.sourceItems.set({ source: source.id }, Object.keys((await this.state.load(source.id)).items).length);
      return report;
    } finally {
      await lease.release();
    }
  }

  /** Each configured source's sync state (undefined when it cannot be read), for /cairn-sources; sets the items gauge. */
  async states(): Promise<Array<{ source: SourceConfig; state: SourceState | undefined }>> {
    return Promise.all(
      this.sources.map(async (source) => {
        const state = await this.state.load(source.id).catch(() => undefined);
        if (state) this.deps.metrics.sourceItems.set({ source: source.id }, Object.keys(state.items).length);
        return { source, state };
      }),
    );
  }

  /** When the source last ran (ms since the epoch); undefined when it never did or its state cannot be read. */
  async lastRunAt(id: string): Promise<number | undefined> {
    const at = (await this.state.load(id).catch(() => undefined))?.lastRun?.at;
    const ms = at === undefined ? NaN : Date.parse(at);
    return Number.isNaN(ms) ? undefined : ms;
  }

  /** So /cairn-sources shows the failure; a state that cannot be read or written keeps it in the log alone. */
  private async recordFailure(id: string, error: string): Promise<void> {
    try {
      const state = await this.state.load(id);
      state.lastRun = { status: 'failed', at: new Date().toISOString(), changed: 0, removed: 0, error };
      await this.state.save(id, state);
    } catch (err) {
      this.deps.logger.warn({ source: id, err: err instanceof Error ? err.message : String(err) }, 'could not record the failed sync in the source state');
    }
  }

  private async run(source: SourceConfig, opts: { trigger: SyncTrigger; progress?: IngestProgress; signal?: AbortSignal }): Promise<SyncReport> {
    const { runtime: rt, logger } = this.deps;
    const started = performance.now();
    logger.info({ source: source.id, trigger: opts.trigger }, 'source sync started');
    try {
      const deps = { store: rt.store, embedder: rt.embedder, logger, progress: opts.progress ?? silentProgress(), accessRules: rt.accessRules, state: this.state };
      return await syncConfigured(source, rt.config, deps, { full: false, cwd: this.deps.cwd, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (err) {
      // Before the listing starts (the embedder, a damaged state file): still one source's failed run.
      const error = err instanceof Error ? err.message : String(err);
      logger.error({ source: source.id, trigger: opts.trigger, err: error }, 'source sync failed before it started: its documents are kept');
      await this.recordFailure(source.id, error);
      return { id: source.id, status: 'failed', error, stats: {}, summary: { ...emptySummary(), seconds: (performance.now() - started) / 1000 } };
    }
  }
}
