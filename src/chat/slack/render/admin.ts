import { gapsListingText, sourcesListingText, statusFields, type GapsSummary, type SourcesReport, type StatusReport } from '../../shared/admin.js';

/** /cairn-sources in Slack mrkdwn. */
export function sourcesText(report: SourcesReport): string {
  return sourcesListingText(report, (s) => `*${s}*`);
}

/** /cairn-status in Slack mrkdwn. */
export function statusText(report: StatusReport): string {
  return statusFields(report).map((f) => `*${f.label}:* ${f.value}`).join('\n');
}

/** /cairn-gaps in Slack mrkdwn. */
export function gapsText(report: GapsSummary): string {
  return gapsListingText(report, (s) => `*${s}*`);
}
