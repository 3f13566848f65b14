import { Writable } from 'node:stream';
import type { GapsSummary, IndexAdmin, RecentError, SourceStatus, SourcesReport, StatusReport, StatusViewer } from '../chat/shared/admin.js';
import { readsEvery } from '../core/access.js';
import type { IndexedDocument } from '../core/documents.js';
import { lineProgress } from '../ingest/index.js';
import { findGaps } from '../eval/gaps/find-gaps.js';
import type { FeedbackRepository } from '../feedback/types.js';
import type { Metrics } from '../observability/metrics.js';
import type { Runtime } from '../runtime.js';
import type { SourceConfig } from '../config/config.js';
import { formatReport, type SourceState } from '../sources/index.js';
import type { SourceSyncer } from './source-sync.js';

export interface IndexAdminDeps {
  runtime: Runtime;
  metrics: Metrics;
  /** What /cairn-status reports as the model: `extractive` when no LLM is configured. */
  model: string;
  startedAt: number;
  recentErrors: () => RecentError[];
  /** The Shared state line; `detail` (admins) adds why an engine is unreachable. */
  sharedState: (detail: boolean) => Promise<string>;
  syncer: SourceSyncer;
  /** Where the weak answers /cairn-gaps groups are read from. */
  feedback: Pick<FeedbackRepository, 'weakAnswers'>;
}

/**
 * The index operations the slash commands run. A re-index syncs every configured source (or the one
 * named), each through the SourceSyncer, so it never overlaps that source's scheduled sync.
 */
export function createIndexAdmin(deps: IndexAdminDeps): IndexAdmin {
  const { runtime: rt, syncer } = deps;
  return {
    sourceIds: () => syncer.sources.map((s) => s.id),
    async reindex(source, onProgress) {
      const chosen = syncer.choose(source);
      const stop = deps.metrics.reindexDuration.startTimer();
      try {
        const parts: string[] = [];
        let failed = false;
        for (const s of chosen) {
          const prefix = chosen.length > 1 ? `${s.id}: ` : '';
          const report = await syncer.sync(s, { trigger: 'manual', progress: lineProgress(lineSink((line) => onProgress(`${prefix}${line}`))) });
          if (report.status === 'busy') parts.push(`${s.id}: already syncing (on its schedule, or on another replica); its result will show in /cairn-sources.`);
          else parts.push(formatReport(report));
          failed ||= report.status === 'failed';
        }
        deps.metrics.reindexRuns.inc({ outcome: failed ? 'failed' : 'success' });
        return parts.join('\n');
      } catch (err) {
        deps.metrics.reindexRuns.inc({ outcome: 'error' });
        throw err;
      } finally {
        stop();
      }
    },
    async sources(accessGroups): Promise<SourcesReport> {
      const allowed = new Set(accessGroups);
      const docs = await rt.store.listDocuments();
      const states = await syncer.states();
      const documents = docs
        .filter((d) => allowed.has(d.accessGroup))
        .map((d) => ({ source: d.source, title: d.title, chunks: d.chunks, indexedAt: d.indexedAt }))
        .sort((a, b) => a.source.localeCompare(b.source));
      const groupOf = new Map(docs.map((d) => [d.docId, d.accessGroup]));
      return { sources: states.map(({ source, state }) => sourceStatus(source, state, groupOf, accessGroups, rt.config.ingest.defaultAccessGroup)), documents };
    },
    async gaps(groups: string[], days: number): Promise<GapsSummary> {
      const since = new Date(Date.now() - days * 86_400_000).toISOString();
      const report = await findGaps(await deps.feedback.weakAnswers({ since }), { embedder: rt.embedder, retriever: rt.retriever, readable: groups, since });
      return {
        days,
        questions: report.questions,
        topics: report.groups.map((g) => ({ size: g.size, suggestedTitle: g.suggestedTitle, examples: g.examples, closest: g.closest.map((d) => d.title) })),
      };
    },
    async status(viewer: StatusViewer): Promise<StatusReport> {
      const info = await rt.store.info();
      // A remote embedder's id is final only once it has reported its vector size.
      if (!info.embedder) await rt.embedder.ready?.();
      const counts = viewer.admin ? info : await countsIn(rt, viewer.groups);
      const where = viewer.admin ? (rt.store.kind === 'qdrant' ? ` (${rt.config.store.collection})` : ` (${rt.config.dataDir})`) : '';
      return {
        documents: counts.documents,
        chunks: counts.chunks,
        embedder: info.embedder ? `${info.embedder.id} (${info.embedder.dimensions}-d)` : rt.embedder.id,
        store: `${rt.store.kind === 'qdrant' ? 'Qdrant' : 'embedded'}${where}`,
        model: deps.model,
        reranker: rt.reranker ? rt.reranker.id : 'off (answers use the fused ranking)',
        uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
        recentErrors: deps.recentErrors().filter((e) => viewer.admin || (e.platform === viewer.platform && e.channelId === viewer.channelId)),
        sharedState: await deps.sharedState(viewer.admin),
      };
    },
  };
}

/**
 * A source's counts and last run. Its last error may name one of its pages or files, so it is shown only
 * to an audience that may read every group the source uses (configured or found on its documents).
 */
function sourceStatus(source: SourceConfig, state: SourceState | undefined, groupOf: Map<string, IndexedDocument['accessGroup']>, readable: string[], defaultGroup: string): SourceStatus {
  if (!state) return { id: source.id, type: source.type, items: 0, documents: 0, error: 'its sync state cannot be read; the log says why' };
  const docIds = Object.values(state.items).flatMap((i) => i.docIds);
  const groups = new Set([source.accessGroup ?? defaultGroup, ...source.groups.map((g) => g.group)]);
  for (const id of docIds) {
    const g = groupOf.get(id);
    if (g !== undefined) groups.add(g);
  }
  const status: SourceStatus = { id: source.id, type: source.type, items: Object.keys(state.items).length, documents: docIds.length };
  if (state.lastSuccess) status.lastSuccess = state.lastSuccess;
  if (state.lastRun) {
    const { status: outcome, at, changed, removed, error } = state.lastRun;
    status.lastRun = { status: outcome, at, changed, removed };
    if (error !== undefined && readsEvery(readable, groups)) status.error = error;
    else if (error !== undefined) status.errorWithheld = true;
  }
  return status;
}

/** Documents and chunks in the given groups only. */
async function countsIn(rt: Runtime, groups: string[]): Promise<{ documents: number; chunks: number }> {
  const allowed = new Set(groups);
  const docs = (await rt.store.listDocuments()).filter((d) => allowed.has(d.accessGroup));
  return { documents: docs.length, chunks: docs.reduce((n, d) => n + d.chunks, 0) };
}

/** Turns the line-progress stream into one callback per line. */
function lineSink(onLine: (line: string) => void): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
      done();
    },
  });
}
