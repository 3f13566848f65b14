import { sourcesListingText, statusFields, type SourcesReport, type StatusReport } from '../../shared/admin.js';
import { splitMessage } from '../../shared/split.js';
import { MESSAGE_LIMIT } from './outcome.js';

/** /cairn-sources in Discord Markdown, split into messages Discord accepts. */
export function sourcesMessages(report: SourcesReport): string[] {
  return splitMessage(sourcesListingText(report, (s) => `**${s}**`), MESSAGE_LIMIT);
}

/** /cairn-status in Discord Markdown, split into messages Discord accepts. */
export function statusMessages(report: StatusReport): string[] {
  return splitMessage(statusFields(report).map((f) => `**${f.label}:** ${f.value}`).join('\n'), MESSAGE_LIMIT);
}
