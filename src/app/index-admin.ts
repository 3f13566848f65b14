import { Writable } from 'node:stream';
import type { IndexAdmin, RecentError, SourceSummary, StatusReport, StatusViewer } from '../chat/shared/admin.js';
import { formatSummary, ingest, ingestOptionsFrom, lineProgress, nothingIngested } from '../ingest/index.js';
import type { Metrics } from '../observability/metrics.js';
import type { Runtime } from '../runtime.js';

export interface IndexAdminDeps {
  runtime: Runtime;
  metrics: Metrics;
  /** What /cairn-status reports as the model: `extractive` when no LLM is configured. */
  model: string;
  startedAt: number;
  recentErrors: () => RecentError[];
  /** The Shared state line; `detail` (admins) adds why an engine is unreachable. */
  sharedState: (detail: boolean) => Promise<string>;
}

/**
 * The index operations the slash commands run. A re-index with no source re-reads DOCS_DIR
 * incrementally (changed documents replaced, vanished ones removed); with a source, just that
 * file or folder.
 */
export function createIndexAdmin(deps: IndexAdminDeps): IndexAdmin {
  const { runtime: rt } = deps;
  return {
    async reindex(source, onProgress) {
      const stop = deps.metrics.reindexDuration.startTimer();
      try {
        const cfg = rt.config;
        const summary = await ingest(
          ingestOptionsFrom(cfg, [source ?? cfg.ingest.docsDir]),
          { store: rt.store, embedder: rt.embedder, logger: rt.logger, progress: lineProgress(lineSink(onProgress)), accessRules: rt.accessRules },
        );
        deps.metrics.reindexRuns.inc({ outcome: nothingIngested(summary) ? 'failed' : 'success' });
        return formatSummary(summary);
      } catch (err) {
        deps.metrics.reindexRuns.inc({ outcome: 'error' });
        throw err;
      } finally {
        stop();
      }
    },
    async sources(accessGroups): Promise<SourceSummary[]> {
      const allowed = new Set(accessGroups);
      const docs = await rt.store.listDocuments();
      return docs
        .filter((d) => allowed.has(d.accessGroup))
        .map((d) => ({ source: d.source, title: d.title, chunks: d.chunks, indexedAt: d.indexedAt }))
        .sort((a, b) => a.source.localeCompare(b.source));
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
