import type { SourceDocument } from '../../core/documents.js';
import type { DiscoveredFile } from '../discover.js';
import { toFailure, InputRejected, type IngestFailure } from '../failures.js';
import { firstHeading, parseFrontMatter, scanMarkdown } from '../markdown.js';
import { ensureText } from '../validate.js';
import { buildDocument, declaredGroup, type LoadContext } from './document.js';

export interface JsonlResult {
  documents: SourceDocument[];
  /** One per bad line, named `file:line`; the other lines are kept. */
  failures: IngestFailure[];
  /** Ids of lines that were rejected but named one, so the document already indexed under it is kept. */
  rejectedIds: string[];
}

/**
 * One document per line: `{"id", "title"?, "text", "url"?, "access_group"?}`; BEIR's `_id` is read as `id`,
 * so an eval corpus ingests as it is. `text` is Markdown (plain text reads the same).
 * The document id is the line's id; the source is `file#id`, which ties it to its file for re-ingest,
 * and `url` is kept beside it for citations.
 */
export function loadJsonl(text: string, file: DiscoveredFile, ctx: LoadContext): JsonlResult {
  const documents: SourceDocument[] = [];
  const failures: IngestFailure[] = [];
  const rejectedIds: string[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file.source}:${i + 1}`;
    let id: string | undefined;
    try {
      const value = parseJsonObject(line);
      id = idOf(value);
      const record = toRecord(value, id);
      if (seen.has(id)) throw new InputRejected('duplicate', `id ${JSON.stringify(id)} already appears earlier in this file`);
      seen.add(id);
      documents.push(toDocument(record, file, ctx));
    } catch (err) {
      failures.push(toFailure(where, err));
      if (id !== undefined) rejectedIds.push(id);
    }
  });
  return { documents, failures, rejectedIds };
}

interface JsonlRecord {
  id: string;
  title?: string;
  text: string;
  url?: string;
  accessGroup?: unknown;
}

function parseJsonObject(line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new InputRejected('corrupt', `not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputRejected('invalid', 'expected a JSON object');
  return value as Record<string, unknown>;
}

function idOf(o: Record<string, unknown>): string {
  const rawId = o.id ?? o._id;
  if ((typeof rawId !== 'string' || rawId.trim() === '') && typeof rawId !== 'number') {
    throw new InputRejected('invalid', 'missing "id" (a non-empty string or a number)');
  }
  return String(rawId).trim();
}

function toRecord(o: Record<string, unknown>, id: string): JsonlRecord {
  if (typeof o.text !== 'string') throw new InputRejected('invalid', 'missing "text" (a string)');
  for (const key of ['title', 'url'] as const) {
    if (o[key] !== undefined && o[key] !== null && typeof o[key] !== 'string') throw new InputRejected('invalid', `"${key}" must be a string`);
  }
  return {
    id,
    title: typeof o.title === 'string' ? o.title.trim() : undefined,
    text: o.text,
    url: typeof o.url === 'string' && o.url.trim() ? o.url.trim() : undefined,
    accessGroup: o.access_group ?? o.accessGroup,
  };
}

function toDocument(record: JsonlRecord, file: DiscoveredFile, ctx: LoadContext): SourceDocument {
  const { fields, body } = parseFrontMatter(record.text);
  ensureText(body, '"text" is empty');
  const title = record.title || fields.title?.trim() || firstHeading(scanMarkdown(body), 1) || record.id;
  return buildDocument(
    {
      id: record.id,
      source: `${file.source}#${record.id}`,
      ...(record.url ? { url: record.url } : {}),
      title,
      text: body,
      format: 'jsonl',
      ...declaredGroup(record.accessGroup ?? fields.access_group),
    },
    ctx.chunking,
  );
}
