import { basename } from 'node:path';
import { CairnError } from '../../core/errors.js';
import type { SandboxFile } from './protocol.js';

/** Largest file the sandbox takes from a question: a sizeable CSV, well inside Python's 128 MB heap. */
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;

/**
 * A file from a question as the sandbox will see it: UTF-8 text only (CSV, JSON, TXT…), size-capped,
 * under a plain file name so it cannot point anywhere but /data. Throws an INPUT error the asker can act on.
 */
export function toSandboxFile(name: string, bytes: Uint8Array): SandboxFile {
  const safeName = basename(name).replace(/[^\w.-]/gu, '_').replace(/^\.+/u, '_') || 'file.txt';
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) {
    throw new CairnError('INPUT', `${name} is ${(bytes.byteLength / 1048576).toFixed(1)} MB; files for run_code may be at most ${MAX_ATTACHMENT_BYTES / 1048576} MB.`);
  }
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    content = '\0';
  }
  if (content.includes('\0')) throw new CairnError('INPUT', `${name} is not a UTF-8 text file; run_code reads text files such as CSV, JSON or TXT.`);
  return { name: safeName, content };
}

/** The files of one question, at most MAX_ATTACHMENTS and with distinct names. */
export function sandboxFiles(files: { name: string; bytes: Uint8Array }[]): SandboxFile[] {
  if (files.length > MAX_ATTACHMENTS) throw new CairnError('INPUT', `At most ${MAX_ATTACHMENTS} files can be attached to one question.`);
  const seen = new Set<string>();
  return files.map((f) => {
    const file = toSandboxFile(f.name, f.bytes);
    if (seen.has(file.name)) throw new CairnError('INPUT', `Two attached files are both named ${file.name}; rename one.`);
    seen.add(file.name);
    return file;
  });
}
