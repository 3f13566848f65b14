import path from 'node:path';
import type { Attachment } from '../../core/answer.js';
import type { Logger } from '../../core/logger.js';
import { attachmentText, formatBytes, readableAttachment } from '../../ingest/index.js';
import { DownloadTooLarge } from './download.js';
import { logError } from './log-error.js';

/** More files than this in one message are not read: each is downloaded and parsed while the asker waits. */
export const MAX_FILES = 5;

/** A file attached to a question as a surface found it; nothing is downloaded until `download` is called. */
export interface IncomingFile {
  name: string;
  /** MIME type as the platform declares it, when it does. */
  mimeType?: string;
  /** Size in bytes as the platform declares it: a file over the cap is refused before any download. */
  size?: number;
  /** Fetches the file (with the bot's credentials where the platform needs them), reading at most `maxBytes`. */
  download(maxBytes: number): Promise<Uint8Array>;
}

export const IMAGES_NOTE = "I can't read images yet, so I answered from the text.";

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.heic', '.bmp', '.tif', '.tiff', '.svg']);

/**
 * The question's files read to text for the agent, and one line for each the asker must hear
 * about (an image, an unsupported type, a file over the cap, one that failed to download or parse):
 * a file is never dropped silently. Only names and sizes are logged, never contents.
 */
export async function readIncomingFiles(files: readonly IncomingFile[], maxBytes: number, log: Logger): Promise<{ attachments: Attachment[]; notes: string[] }> {
  const attachments: Attachment[] = [];
  const notes: string[] = [];
  let images = 0;
  for (const file of files.slice(0, MAX_FILES)) {
    if (isImage(file)) {
      images += 1;
      continue;
    }
    const result = await readOne(file, maxBytes, log);
    if (typeof result === 'string') notes.push(result);
    else attachments.push(result);
  }
  if (images > 0) notes.unshift(IMAGES_NOTE);
  if (files.length > MAX_FILES) notes.push(`I read only the first ${MAX_FILES} of the ${files.length} files attached.`);
  log.info({ attachments: files.map((f) => ({ name: f.name, bytes: f.size })), read: attachments.length }, 'question came with files');
  return { attachments, notes };
}

async function readOne(file: IncomingFile, maxBytes: number, log: Logger): Promise<Attachment | string> {
  const withoutIt = 'so I answered from the text of your message.';
  if (!readableAttachment(file.name)) {
    return `I can't read ${file.name} (${file.mimeType ?? (path.extname(file.name) || 'unknown type')}), ${withoutIt} I read text, Markdown, HTML, CSV, JSON, log and PDF files.`;
  }
  const overCap = (bytes?: number) =>
    `${file.name} is ${bytes === undefined ? 'over' : `${formatBytes(bytes)}, over`} my ${formatBytes(maxBytes)} limit for attachments, ${withoutIt}`;
  if (file.size !== undefined && file.size > maxBytes) return overCap(file.size);
  let bytes: Uint8Array;
  try {
    bytes = await file.download(maxBytes);
  } catch (err) {
    if (err instanceof DownloadTooLarge) return overCap(err.bytes ?? file.size);
    log.warn({ err: logError(err), attachment: file.name }, 'downloading an attachment failed');
    return `I couldn't download ${file.name}, ${withoutIt}`;
  }
  try {
    return { name: file.name, text: await attachmentText(file.name, bytes) };
  } catch (err) {
    const detail = (err as { detail?: unknown }).detail;
    log.info({ attachment: file.name, reason: (err as { reason?: unknown }).reason }, 'an attachment could not be read');
    return `I can't read ${file.name}${typeof detail === 'string' ? ` — ${detail} —` : ','} ${withoutIt}`;
  }
}

function isImage(file: IncomingFile): boolean {
  return file.mimeType?.startsWith('image/') === true || IMAGE_EXTENSIONS.has(path.extname(file.name).toLowerCase());
}
