import type { IncomingFile } from '../shared/attachments.js';
import { downloadCapped } from '../shared/download.js';

/** The fields of a Slack file object (in a message event's `files`) read here. */
export interface SlackFile {
  name?: string;
  title?: string;
  mimetype?: string;
  filetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
  /** `hidden_by_limit` (free plan over its storage) and `tombstone` (deleted) files have no URL. */
  mode?: string;
}

/** Where Slack serves files; the bot token goes nowhere else. */
const SLACK_FILES_ORIGIN = 'https://files.slack.com';

/**
 * A message's files as IncomingFiles, downloaded from `url_private_download` (else `url_private`)
 * with the bot token, which needs the `files:read` scope. The token is sent only to Slack's file
 * host or to the configured Slack API's host (SLACK_API_URL, which is how the local fake serves
 * them), never to whatever URL an event names.
 */
export function slackFiles(files: readonly SlackFile[] | undefined, token: string | undefined, apiUrl: string | undefined): IncomingFile[] {
  const trusted = new Set([SLACK_FILES_ORIGIN, ...(apiUrl ? [new URL(apiUrl).origin] : [])]);
  return (files ?? []).map((f) => {
    const name = f.name ?? f.title ?? 'file';
    const url = f.url_private_download ?? f.url_private;
    return {
      name,
      ...(f.mimetype ? { mimeType: f.mimetype } : {}),
      ...(typeof f.size === 'number' ? { size: f.size } : {}),
      download: async (maxBytes) => {
        if (!url || !token) throw new Error(`Slack gave no download URL for this file (mode ${f.mode ?? 'unknown'})`);
        if (!trusted.has(new URL(url).origin)) throw new Error(`file URL on an unexpected host ${new URL(url).host}`);
        return downloadCapped(url, { maxBytes, headers: { Authorization: `Bearer ${token}` } });
      },
    };
  });
}
