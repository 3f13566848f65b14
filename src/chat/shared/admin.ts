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

/**
 * One configured source as /cairn-sources shows it to anyone: ids and counts only. The last run's error
 * can name a page or a file, so it is withheld where not every group of the source may be read.
 */
export interface SourceStatus {
  id: string;
  type: string;
  items: number;
  documents: number;
  lastSuccess?: string;
  lastRun?: { status: 'ok' | 'failed'; at: string; changed: number; removed: number };
  error?: string;
  errorWithheld?: boolean;
}

/** What /cairn-sources lists: the configured sources, then the documents the conversation may cite. */
export interface SourcesReport {
  sources: SourceStatus[];
  documents: SourceSummary[];
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

/** One topic the docs did not cover, as /cairn-gaps shows it. */
export interface GapTopic {
  size: number;
  suggestedTitle: string;
  examples: string[];
  closest: string[];
}

/** What /cairn-gaps lists: the largest groups of questions the docs did not answer well. */
export interface GapsSummary {
  /** How many days back it looked. */
  days: number;
  questions: number;
  topics: GapTopic[];
}

export interface IndexAdmin {
  /** Syncs every source (or the one with this id) and returns a summary. */
  reindex(source: string | undefined, onProgress: (line: string) => void): Promise<string>;
  /** The ids /cairn-reindex accepts. */
  sourceIds(): string[];
  /** The sources, and the indexed documents in these access groups: a channel lists only what it may cite. */
  sources(accessGroups: string[]): Promise<SourcesReport>;
  status(viewer: StatusViewer): Promise<StatusReport>;
  /** The weak answers of the last `days` whose conversations could read only within `groups`, grouped into topics. */
  gaps(groups: string[], days: number): Promise<GapsSummary>;
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
    const known = this.admin.sourceIds();
    if (source !== undefined && !known.includes(source)) {
      return { started: false, message: `There is no source "${source}". Known sources: ${known.join(', ')}. Name one of them, or run /cairn-reindex alone to sync them all.` };
    }
    const lease = await this.leases.acquire(REINDEX_LEASE);
    if (!lease) return { started: false, message: 'A re-index is already running; I will post when it is done. Try again after that.' };
    const done = (async () => this.admin.reindex(source, onProgress))().finally(() => lease.release());
    return { started: true, done };
  }
}

/** What /cairn-sources says when the listing is empty, on every platform. */
export const NOTHING_INDEXED = 'Nothing is indexed yet that can be cited here. An admin can run /cairn-reindex.';

/** A /cairn-sources listing as plain data: a line per source, then the first `max` documents with when each was indexed (`YYYY-MM-DD HH:MM`). */
export interface SourcesListing {
  sources: string[];
  total: number;
  shown: (SourceSummary & { indexed: string })[];
  /** How many documents past `max` the listing leaves out. */
  hidden: number;
}

export function listSources(report: SourcesReport, max = 40): SourcesListing {
  const shown = report.documents.slice(0, max).map((s) => ({ ...s, indexed: minute(s.indexedAt) }));
  return { sources: report.sources.map(sourceLine), total: report.documents.length, shown, hidden: Math.max(0, report.documents.length - max) };
}

/**
 * The whole /cairn-sources text; each platform passes its bold markup (backticks and bullets read the
 * same on both).
 */
export function sourcesListingText(report: SourcesReport, bold: (s: string) => string): string {
  const listing = listSources(report);
  const sources = listing.sources.length > 0 ? [bold('Sources'), ...listing.sources.map((l) => `• ${l}`)] : [];
  const documents = listing.total === 0
    ? [NOTHING_INDEXED]
    : [bold(`${listing.total} documents indexed`), ...listing.shown.map((s) => `• ${s.title} — \`${s.source}\` (${s.chunks} chunks, indexed ${s.indexed})`), ...(listing.hidden > 0 ? [`…and ${listing.hidden} more.`] : [])];
  return [...sources, ...documents].join('\n');
}

/** `docs-site` (web): when it last synced well, its counts, how its last run went. Plain text with backticks, which both platforms render. */
function sourceLine(s: SourceStatus): string {
  const parts = [`\`${s.id}\` (${s.type})`, s.lastSuccess ? `last good sync ${minute(s.lastSuccess)} UTC` : 'never synced well yet', `${s.items} items, ${s.documents} documents`];
  if (s.lastRun) parts.push(`last run ${minute(s.lastRun.at)} ${s.lastRun.status === 'ok' ? 'ok' : 'FAILED'}: ${s.lastRun.changed} changed, ${s.lastRun.removed} deleted`);
  if (s.error) parts.push(`last error: ${s.error}`);
  else if (s.errorWithheld) parts.push('last error: shown only where every group of this source may be read');
  return parts.join(' · ');
}

function minute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
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

/** How far back /cairn-gaps looks, and how many topics it lists. */
export const GAPS_DAYS = 30;
export const GAPS_SHOWN = 5;
/** How far back the weekly summary looks: the week since the last one. */
export const GAPS_SUMMARY_DAYS = 7;

/**
 * A /cairn-gaps listing as lines, with the platform's bold. `weekly`: the summary posted to the admin
 * channel, which says so, says it plainly when the week had no weak answers (silence would look like
 * a summary that failed), and points to the longer views.
 */
export function gapsListingText(report: GapsSummary, bold: (s: string) => string, opts: { weekly?: boolean } = {}): string {
  const title = opts.weekly ? 'Weekly coverage gaps' : 'Coverage gaps';
  const where = opts.weekly ? 'this channel' : 'this conversation';
  if (report.topics.length === 0) {
    const none = `No declined, unsupported or 👎 answers in the last ${report.days} days that ${where} may see.`;
    return opts.weekly ? `${bold(title)}: no gaps this week. ${none}` : none;
  }
  const lines = [`${bold(title)} (last ${report.days} days, ${report.questions} weak answers; the ${Math.min(GAPS_SHOWN, report.topics.length)} largest topics):`];
  report.topics.slice(0, GAPS_SHOWN).forEach((t, i) => {
    lines.push(`${i + 1}. ${bold(t.suggestedTitle)} (${t.size} question${t.size === 1 ? '' : 's'})`);
    for (const q of t.examples.slice(0, 2)) lines.push(`   • ${q}`);
    if (t.closest.length > 0) lines.push(`   closest docs: ${t.closest.join('; ')}`);
  });
  if (opts.weekly) lines.push(`/cairn-gaps shows the last ${GAPS_DAYS} days; \`cairn report gaps\` the full report.`);
  return lines.join('\n');
}
