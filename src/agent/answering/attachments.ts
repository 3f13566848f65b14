import { ATTACHMENT_SOURCE, type Attachment } from '../../core/answer.js';
import type { SearchHit } from '../../core/search.js';
import { contentTerms, coverage, evidenceTerms } from './lexical.js';

/** Chunk ids of attachment passages start with this: they name no document of the index. */
export const ATTACHMENT_CHUNK = 'attachment:';

/** About an indexed chunk's size, so an attachment passage weighs in the prompt like a retrieved one. */
const PASSAGE_CHARS = 1500;

/**
 * How many attachment passages one answer is shown: enough for a page or two of a log or a
 * document, few enough that a large file does not crowd the retrieved passages out.
 */
export const MAX_ATTACHMENT_PASSAGES = 4;

export function isAttachmentChunk(chunkId: string): boolean {
  return chunkId.startsWith(ATTACHMENT_CHUNK);
}

/**
 * The asker's attachments as passages that rank ahead of retrieved ones: each file cut into
 * chunk-sized passages, the ones sharing most words with the question kept (in file order, first
 * passages winning ties, so "what does this file say?" gets its start). They carry no access group:
 * the asker gave them, and they are shown in this answer only.
 */
export function attachmentHits(attachments: readonly Attachment[], question: string, score: number): SearchHit[] {
  const terms = contentTerms(question);
  const passages = attachments.flatMap((a) => {
    const texts = passagesOf(a.text);
    return texts.map((text, i) => ({ name: a.name, text, i, of: texts.length, relevance: coverage(terms, evidenceTerms(text)) }));
  });
  const kept = new Set([...passages].sort((x, y) => y.relevance - x.relevance).slice(0, MAX_ATTACHMENT_PASSAGES));
  return passages
    .filter((p) => kept.has(p))
    .map((p) => ({
      score,
      chunk: {
        id: `${ATTACHMENT_CHUNK}${p.name}#${p.i}`,
        docId: `${ATTACHMENT_CHUNK}${p.name}`,
        source: ATTACHMENT_SOURCE,
        title: `Your attachment ${p.name}`,
        headingPath: [],
        chunkIndex: p.i,
        totalChunks: p.of,
        contentHash: '',
        accessGroup: '',
        text: p.text,
      },
    }));
}

/** Paragraphs (lines, within a long paragraph such as a log) packed into passages of about PASSAGE_CHARS. */
export function passagesOf(text: string): string[] {
  const units = text.split(/\n\s*\n/).flatMap((p) =>
    p.length > PASSAGE_CHARS ? p.split('\n').flatMap(cut).map((line, i) => ({ text: line, sep: i === 0 ? '\n\n' : '\n' })) : [{ text: p.trim(), sep: '\n\n' }],
  );
  const out: string[] = [];
  let current = '';
  for (const { text: unit, sep } of units) {
    if (!unit.trim()) continue;
    if (current && current.length + unit.length + sep.length > PASSAGE_CHARS) {
      out.push(current);
      current = '';
    }
    current = current ? `${current}${sep}${unit}` : unit;
  }
  if (current) out.push(current);
  return out;
}

/** A line longer than a passage (minified JSON) in passage-sized pieces. */
function cut(line: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < line.length; i += PASSAGE_CHARS) out.push(line.slice(i, i + PASSAGE_CHARS));
  return out.length > 0 ? out : [''];
}
