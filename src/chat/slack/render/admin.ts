import { gapsListingText, sourcesListingText, statusFields, type GapsSummary, type SourcesReport, type StatusReport } from '../../shared/admin.js';
import { splitMessage } from '../../shared/split.js';
import { SLACK_LIMITS } from './blocks.js';
import { defuseSpecialMentions } from './mrkdwn.js';

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

/**
 * The weekly gaps summary in Slack mrkdwn, as messages of at most one section's length. Posted for a
 * whole channel to see, so a question that held `<!channel>` or `<@U…>` pings nobody.
 */
export function gapsSummaryMessages(report: GapsSummary): string[] {
  return splitMessage(defuseSpecialMentions(gapsListingText(report, (s) => `*${s}*`, { weekly: true })), SLACK_LIMITS.sectionChars);
}
