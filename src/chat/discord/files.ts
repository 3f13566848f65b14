import type { Message } from 'discord.js';
import type { IncomingFile } from '../shared/attachments.js';
import { downloadCapped } from '../shared/download.js';

/**
 * A message's attachments as IncomingFiles, downloaded from the URL Discord gives each one (its
 * CDN, or wherever the gateway payload points, e.g. the local fake). CDN links are signed and need
 * no bot token, so none is sent.
 */
export function discordFiles(message: Pick<Message, 'attachments'>): IncomingFile[] {
  return [...message.attachments.values()].map((a) => ({
    name: a.name,
    ...(a.contentType ? { mimeType: a.contentType } : {}),
    size: a.size,
    download: (maxBytes) => downloadCapped(a.url, { maxBytes }),
  }));
}
