import path from 'node:path';
import type { SourceDocument } from '../core/documents.js';

export type FileFormat = SourceDocument['format'];

const BY_EXTENSION: Record<string, FileFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  // MDX is Markdown plus JSX; the JSX lines are kept as text, which still reads fine in an answer.
  '.mdx': 'markdown',
  '.txt': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.jsonl': 'jsonl',
};

export const SUPPORTED_EXTENSIONS = Object.keys(BY_EXTENSION).map((e) => e.slice(1));

export function formatOf(filePath: string): FileFormat | undefined {
  return BY_EXTENSION[path.extname(filePath).toLowerCase()];
}
