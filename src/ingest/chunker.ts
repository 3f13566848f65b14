import { createHash } from 'node:crypto';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { chunkId, type Chunk, type GroupedDocument } from '../core/documents.js';
import { scanMarkdown, type MarkdownLine } from './markdown.js';

/**
 * Sizes are in characters. The defaults (CHUNK_SIZE 1200, CHUNK_OVERLAP 200) come from the shared eval
 * sets: splitting Markdown at headings and packing ~1,200-character chunks with ~200 characters carried
 * over made chunk-level BM25 beat document-level BM25 by +0.10 nDCG@10 on bolt-docs and tie it on SciFact
 * (shared/notes/offline-models-and-engines.md, "Measured on the eval sets"). 1,200 characters is also
 * ~300 tokens: inside the USE embedder's sweet spot and small enough that six citations fit a prompt.
 */
export interface ChunkSettings {
  chunkSize: number;
  chunkOverlap: number;
}

/** Bump when the chunking rules change, so the next ingest re-chunks every document (it is part of the hash). */
export const CHUNKER_VERSION = 2;

/** Stands in for a newline inside a code fence while splitting, so the splitter sees the fence as one line. */
const FENCE_NEWLINE = '\uE000';

interface Section {
  headingPath: string[];
  text: string;
}

/** Splits a document into chunks; whitespace-only pieces are dropped, so `totalChunks` counts what is kept. */
export async function chunkDocument(doc: GroupedDocument, settings: ChunkSettings): Promise<Chunk[]> {
  const pieces: Array<{ headingPath: string[]; text: string }> = [];
  if (doc.format === 'text' || doc.format === 'pdf') {
    const splitter = new RecursiveCharacterTextSplitter(settings);
    for (const text of await splitter.splitText(doc.text)) pieces.push({ headingPath: [], text });
  } else {
    const splitter = markdownSplitter(settings);
    for (const section of splitSections(doc.text, doc.title, settings.chunkSize)) {
      for (const text of withTableHeaders(await splitter.splitText(section.text))) {
        pieces.push({ headingPath: section.headingPath, text: text.replaceAll(FENCE_NEWLINE, '\n') });
      }
    }
  }
  const kept = pieces.filter((p) => p.text.trim().length > 0);
  return kept.map((p, i) => ({
    id: chunkId(doc.id, i),
    docId: doc.id,
    source: doc.source,
    ...(doc.url ? { url: doc.url } : {}),
    title: doc.title,
    headingPath: p.headingPath,
    chunkIndex: i,
    totalChunks: kept.length,
    contentHash: sha256(p.text),
    accessGroup: doc.accessGroup,
    text: p.text,
  }));
}

/**
 * LangChain's Markdown separators, minus "```\n\n": that one splits *before* a closing fence, which
 * can leave a chunk ending inside code and the next starting with a stray fence. Fences are kept whole
 * below instead. Heading separators stay but rarely fire: sections are already cut at headings.
 */
function markdownSplitter(settings: ChunkSettings): RecursiveCharacterTextSplitter {
  const separators = RecursiveCharacterTextSplitter.getSeparatorsForLanguage('markdown').filter((s) => s !== '```\n\n');
  return new RecursiveCharacterTextSplitter({ ...settings, separators });
}

/**
 * Cuts Markdown at headings outside code fences, tracking the heading path. A level-1 heading equal to the
 * title is left out of the path (the title already heads every breadcrumb). Heading lines themselves are
 * not part of the section text: `indexText` puts the path in front of each chunk. A fence short enough to
 * fit in one chunk has its newlines masked so the splitter cannot cut inside it.
 */
export function splitSections(markdown: string, title: string, chunkSize: number): Section[] {
  const sections: Section[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let body: string[] = [];
  let fence: string[] | null = null;
  const flush = () => {
    const text = body.join('\n');
    if (text.trim().length > 0) sections.push({ headingPath: stack.map((h) => h.text), text });
    body = [];
  };
  const lines = scanMarkdown(markdown.replaceAll(FENCE_NEWLINE, ''));
  for (const line of lines) {
    if (line.fence === 'open') fence = [line.text];
    else if (fence && (line.fence === 'inside' || line.fence === 'close')) fence.push(line.text);
    if (fence && (line.fence === 'close' || isLastLine(lines, line))) {
      // +2 leaves room for the separator the splitter keeps in front of a piece.
      const joiner = fence.join('\n').length + 2 < chunkSize ? FENCE_NEWLINE : '\n';
      body.push(fence.join(joiner));
      fence = null;
      continue;
    }
    if (fence) continue;
    if (line.heading) {
      flush();
      while (stack.length > 0 && stack[stack.length - 1]!.level >= line.heading.level) stack.pop();
      const isTitle = line.heading.level === 1 && line.heading.text === title;
      if (line.heading.text.length > 0 && !isTitle) stack.push({ level: line.heading.level, text: line.heading.text });
      continue;
    }
    body.push(line.text);
  }
  flush();
  return sections;
}

const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/**
 * A piece of a section that starts inside a Markdown table gets the table's header and rule rows in
 * front: without them its rows are bare pipes to a reader, and the column names are lost to search
 * and to the model. The header is the last one seen in the pieces before it.
 */
export function withTableHeaders(pieces: string[]): string[] {
  let header: string | null = null;
  return pieces.map((piece) => {
    const lines = piece.split('\n');
    const first = lines.findIndex((l) => l.trim().length > 0);
    const startsInTable = first >= 0 && TABLE_ROW.test(lines[first]!) && !TABLE_RULE.test(lines[first + 1] ?? '');
    const out = startsInTable && header ? `${header}\n${piece.trimStart()}` : piece;
    for (let i = 1; i < lines.length; i++) {
      if (TABLE_RULE.test(lines[i]!) && TABLE_ROW.test(lines[i - 1]!)) header = `${lines[i - 1]}\n${lines[i]}`;
    }
    return out;
  });
}

function isLastLine(lines: MarkdownLine[], line: MarkdownLine): boolean {
  return lines[lines.length - 1] === line;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
