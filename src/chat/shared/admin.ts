import { MemoryLeases, type Leases } from '../../shared-state/lease.js';

/**
 * The index operations behind /cairn-reindex, /cairn-sources and /cairn-status, and what their
 * listings hold as plain data. Adapters only check who is an admin (platform ids) and mark the data
 * up in their own render/; the rules live here, once.
 */
export interface SourceSummary {
  source: string;
  title: string;
  chunks: number;
  indexedAt: string;
}

export interface StatusReport {
  documents: number;
  chunks: number;
  embedder: string;
  store: string;
  model: string;
  reranker: string;
  uptimeSeconds: number;
  recentErrors: RecentError[];
  /** Redis and PostgreSQL as this replica sees them, when the app reports them. */
  sharedState?: string;
}

export interface RecentError {
  at: string;
  code: string;
  requestId: string;
  platform: string;
  channelId: string;
}

/**
 * Who asks for /cairn-status. An admin sees the whole index, the data directory and every recent
 * error (always ephemerally). Anyone else sees counts for the groups they may read there and only
 * the errors of their own conversation.
 */
export type StatusViewer = { admin: true } | { admin: false; groups: string[]; platform: string; channelId: string };

export interface IndexAdmin {
  /** Re-indexes everything (or one source path) and returns a one-line summary. */
  reindex(source: string | undefined, onProgress: (line: string) => void): Promise<string>;
  /** The indexed sources in these access groups: a channel lists only what it may cite. */
  sources(accessGroups: string[]): Promise<SourceSummary[]>;
  status(viewer: StatusViewer): Promise<StatusReport>;
}

export type ReindexStart = { started: true; done: Promise<string> } | { started: false; message: string };

/** The lease every replica's ReindexGate takes. */
export const REINDEX_LEASE = 'reindex';

/**
 * Allows one re-index at a time, across every replica when the leases are shared (Redis); a
 * second request is told one is running. The lease is released when the run ends, and expires by
 * itself if the replica running it dies.
 */
export class ReindexGate {
  constructor(private readonly admin: IndexAdmin, private readonly leases: Leases = new MemoryLeases()) {}

  async start(source: string | undefined, onProgress: (line: string) => void): Promise<ReindexStart> {
    const lease = await this.leases.acquire(REINDEX_LEASE);
    if (!lease) return { started: false, message: 'A re-index is already running; I will post when it is done. Try again after that.' };
    const done = (async () => this.admin.reindex(source, onProgress))().finally(() => lease.release());
    return { started: true, done };
  }
}

/** What /cairn-sources says when the listing is empty, on every platform. */
export const NOTHING_INDEXED = 'Nothing is indexed yet. An admin can run /cairn-reindex.';

/** A /cairn-sources listing as plain data: the first `max` sources, each with when it was indexed (`YYYY-MM-DD HH:MM`). */
export interface SourcesListing {
  total: number;
  shown: (SourceSummary & { indexed: string })[];
  /** How many sources past `max` the listing leaves out. */
  hidden: number;
}

export function listSources(sources: SourceSummary[], max = 40): SourcesListing {
  const shown = sources.slice(0, max).map((s) => ({ ...s, indexed: s.indexedAt.slice(0, 16).replace('T', ' ') }));
  return { total: sources.length, shown, hidden: Math.max(0, sources.length - max) };
}

/** A /cairn-status report as labelled plain-text fields, in the order shown; each platform marks up the labels. */
export function statusFields(s: StatusReport): { label: string; value: string }[] {
  const up = s.uptimeSeconds < 3600 ? `${Math.round(s.uptimeSeconds / 60)} min` : `${(s.uptimeSeconds / 3600).toFixed(1)} h`;
  const errors = s.recentErrors.length === 0
    ? 'none'
    : s.recentErrors.slice(-5).map((e) => `${e.at.slice(0, 19).replace('T', ' ')} ${e.code} (ref ${e.requestId.slice(0, 8)})`).join('; ');
  return [
    { label: 'Index', value: `${s.documents} documents, ${s.chunks} chunks` },
    { label: 'Embedder', value: s.embedder },
    { label: 'Store', value: s.store },
    { label: 'Model', value: s.model },
    { label: 'Reranker', value: s.reranker },
    { label: 'Uptime', value: up },
    ...(s.sharedState ? [{ label: 'Shared state', value: s.sharedState }] : []),
    { label: 'Recent errors', value: errors },
  ];
}
