import { readFile, stat } from 'node:fs/promises';
import type { DiscoveredFile } from './discover.js';
import { InputRejected } from './failures.js';

/** How far into a file to look for a NUL byte: text never has one, almost every binary format does early on. */
const SNIFF_BYTES = 8 * 1024;

/** Reads a text file: size checked first (an oversized file is never loaded), then binary sniffing and strict UTF-8. */
export async function readText(file: DiscoveredFile, maxFileBytes: number): Promise<string> {
  return decodeText(await readBytes(file, maxFileBytes));
}

export async function readBytes({ absPath }: DiscoveredFile, maxFileBytes: number): Promise<Uint8Array> {
  try {
    const { size } = await stat(absPath);
    if (size > maxFileBytes) throw new InputRejected('oversized', `${formatBytes(size)} > ${formatBytes(maxFileBytes)} limit`);
    if (size === 0) throw new InputRejected('empty', 'the file is empty');
    return new Uint8Array(await readFile(absPath));
  } catch (err) {
    if (err instanceof InputRejected) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new InputRejected(code === 'ENOENT' ? 'not_found' : 'unreadable', `cannot be read (${code})`, { cause: err });
  }
}

export function decodeText(bytes: Uint8Array): string {
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) throw new InputRejected('binary', 'contains NUL bytes, so it is not a text file');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new InputRejected('not_utf8', 'not valid UTF-8 text; convert it to UTF-8 first', { cause: err });
  }
}

/** Parsers can turn a non-empty file into nothing (an image-only PDF, a page of scripts); that is a skip too. */
export function ensureText(text: string, what = 'no text left after parsing'): string {
  if (text.trim().length === 0) throw new InputRejected('empty', what);
  return text;
}

/** 32_715_571 → "31.2 MB"; 20 * 2**20 → "20 MB". */
export function formatBytes(bytes: number): string {
  const [value, unit] = bytes >= 1024 ** 2 ? [bytes / 1024 ** 2, 'MB'] : bytes >= 1024 ? [bytes / 1024, 'KB'] : [bytes, 'bytes'];
  const shown = unit === 'bytes' ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${unit}`;
}
