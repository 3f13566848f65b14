import { listSources, NOTHING_INDEXED, statusFields, type SourceSummary, type StatusReport } from '../../shared/admin.js';
import { splitMessage } from '../../shared/split.js';
import { MESSAGE_LIMIT } from './outcome.js';

/** /cairn-sources in Discord Markdown, split into messages Discord accepts. */
export function sourcesMessages(sources: SourceSummary[]): string[] {
  const listing = listSources(sources);
  if (listing.total === 0) return [NOTHING_INDEXED];
  const lines = listing.shown.map((s) => `• ${s.title} — \`${s.source}\` (${s.chunks} chunks, indexed ${s.indexed})`);
  if (listing.hidden > 0) lines.push(`…and ${listing.hidden} more.`);
  return splitMessage(`**${listing.total} sources indexed**\n${lines.join('\n')}`, MESSAGE_LIMIT);
}

/** /cairn-status in Discord Markdown, split into messages Discord accepts. */
export function statusMessages(report: StatusReport): string[] {
  return splitMessage(statusFields(report).map((f) => `**${f.label}:** ${f.value}`).join('\n'), MESSAGE_LIMIT);
}
