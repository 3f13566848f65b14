import { gapsListingText, sourcesListingText, statusFields, type GapsSummary, type SourcesReport, type StatusReport } from '../../shared/admin.js';
import { splitMessage } from '../../shared/split.js';
import type { ShardStatus } from '../shards.js';
import { MESSAGE_LIMIT } from './outcome.js';

/** /cairn-sources in Discord Markdown, split into messages Discord accepts. */
export function sourcesMessages(report: SourcesReport): string[] {
  return splitMessage(sourcesListingText(report, (s) => `**${s}**`), MESSAGE_LIMIT);
}

/** /cairn-gaps in Discord Markdown, split into messages Discord accepts. */
export function gapsMessages(report: GapsSummary): string[] {
  return splitMessage(gapsListingText(report, (s) => `**${s}**`), MESSAGE_LIMIT);
}

/** The weekly gaps summary in Discord Markdown, split into messages Discord accepts. */
export function gapsSummaryMessages(report: GapsSummary): string[] {
  return splitMessage(gapsListingText(report, (s) => `**${s}**`, { weekly: true }), MESSAGE_LIMIT);
}

/** /cairn-status in Discord Markdown, with the gateway shards the replica that answers holds, split into messages Discord accepts. */
export function statusMessages(report: StatusReport, shards: ShardStatus | null = null): string[] {
  const fields = statusFields(report);
  if (shards) fields.push({ label: 'Discord gateway', value: gatewayText(shards) });
  return splitMessage(fields.map((f) => `**${f.label}:** ${f.value}`).join('\n'), MESSAGE_LIMIT);
}

/** e.g. `this replica holds shard 0 of 2 (since 04:55:12 UTC, taken over)`. */
export function gatewayText(s: ShardStatus): string {
  if (s.held.length === 0) return `this replica holds none of the ${s.shardCount} shard${s.shardCount === 1 ? '' : 's'} (other replicas hold them)`;
  const held = s.held.map((h) => `${h.shard} (since ${h.since.toISOString().slice(11, 19)} UTC${h.takenOver ? ', taken over' : ''})`);
  return `this replica holds shard${s.held.length === 1 ? '' : 's'} ${held.join(', ')} of ${s.shardCount}`;
}
