import { listSources, NOTHING_INDEXED, statusFields, type SourceSummary, type StatusReport } from '../../shared/admin.js';

/** /cairn-sources in Slack mrkdwn. */
export function sourcesText(sources: SourceSummary[]): string {
  const listing = listSources(sources);
  if (listing.total === 0) return NOTHING_INDEXED;
  const lines = listing.shown.map((s) => `• ${s.title} — \`${s.source}\` (${s.chunks} chunks, indexed ${s.indexed})`);
  if (listing.hidden > 0) lines.push(`…and ${listing.hidden} more.`);
  return `*${listing.total} sources indexed*\n${lines.join('\n')}`;
}

/** /cairn-status in Slack mrkdwn. */
export function statusText(report: StatusReport): string {
  return statusFields(report).map((f) => `*${f.label}:* ${f.value}`).join('\n');
}
