import slackify from 'slackify-markdown';

/**
 * Converts the answer's Markdown to Slack mrkdwn. Raw `<!here>`, `<!channel>`, `<@U…>` and `<#C…>`
 * forms that came through from a document are defused: an answer must never ping anyone.
 */
export function toMrkdwn(markdown: string): string {
  return defuseSpecialMentions(slackify(markdown)).trim();
}

export function defuseSpecialMentions(mrkdwn: string): string {
  return mrkdwn.replace(/<([!@#][^<>]*)>/g, '&lt;$1&gt;');
}

/** Escapes the three characters Slack treats as control characters in mrkdwn and plain text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A `<url|label>` link; characters that would end the link early are percent-encoded or escaped. */
export function mrkdwnLink(url: string, label: string): string {
  const safeUrl = url.replace(/[|<> ]/g, (c) => encodeURIComponent(c));
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

/** Cuts `text` to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
