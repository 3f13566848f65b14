import path from 'node:path';
import type { SourceDocument } from '../core/documents.js';
import type { DiscoveredFile } from './discover.js';
import { InputRejected } from './failures.js';
import { formatOf } from './formats.js';
import { loadHtml } from './loaders/html.js';
import { loadMarkdown } from './loaders/markdown.js';
import { loadPdf } from './loaders/pdf.js';
import { loadText } from './loaders/text.js';
import { decodeText } from './validate.js';

/** Plain text under other names: read as the text loader reads .txt. */
const ALSO_TEXT = new Set(['.csv', '.tsv', '.json', '.jsonl', '.log', '.yaml', '.yml', '.xml', '.ini', '.toml']);

/** Attachments are never chunked or stored; the loaders only need settings for the hash they compute. */
const NOT_CHUNKED = { chunking: { chunkSize: 1, chunkOverlap: 0 } };

/** Whether a file with this name is read by `attachmentText` (else the asker is told it cannot be). */
export function readableAttachment(name: string): boolean {
  return attachmentFormat(name) !== undefined;
}

/**
 * The text of a file attached to a question, through the same loaders ingest uses (front matter
 * stripped, HTML converted, PDF pages extracted), so an attachment reads as an indexed file would.
 * Throws InputRejected (with a detail the asker can read) for a file that is not text.
 */
export async function attachmentText(name: string, bytes: Uint8Array): Promise<string> {
  const format = attachmentFormat(name);
  if (!format) throw new InputRejected('unsupported', `${path.extname(name) || 'a file without an extension'} is not a format I read`);
  if (bytes.byteLength === 0) throw new InputRejected('empty', 'the file is empty');
  const file: DiscoveredFile = { absPath: '', source: name, format };
  return (await load(file, bytes)).text;
}

function load(file: DiscoveredFile, bytes: Uint8Array): Promise<SourceDocument> | SourceDocument {
  if (file.format === 'pdf') return loadPdf(bytes, file, NOT_CHUNKED);
  const text = decodeText(bytes);
  if (file.format === 'markdown') return loadMarkdown(text, file, NOT_CHUNKED);
  if (file.format === 'html') return loadHtml(text, file, NOT_CHUNKED);
  return loadText(text, file, NOT_CHUNKED);
}

function attachmentFormat(name: string): DiscoveredFile['format'] | undefined {
  if (ALSO_TEXT.has(path.extname(name).toLowerCase())) return 'text';
  return formatOf(name);
}
