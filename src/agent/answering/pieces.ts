/**
 * A passage's Markdown cut into the pieces an extractive answer may quote: a sentence (with the
 * one before it when it leans on it), a list with its lead-in, a code block whole, a table row
 * with the table's header. Pieces of one block can be put back together in source order, so two
 * rows of a table print under one header and neighbouring sentences as one paragraph.
 */

export type BlockKind = 'paragraph' | 'list' | 'code' | 'table';

export interface Block {
  kind: BlockKind;
  /** Sentences of a paragraph, rows of a table (header and rule excluded), or the whole list or code block. */
  units: string[];
  /** A table's header and rule lines. */
  header?: string;
  /** The sentence ending in ':' right before a list, code block or table, which says what it is. */
  lead?: string;
  /** The nearest heading above the block inside the passage, '' when none. */
  heading: string;
}

export interface Piece {
  block: number;
  /** Indices into the block's units. */
  units: number[];
}

const FENCE = /^\s*(```|~~~)/;
const BARE_FENCE = /^\s*(```+|~~~+)\s*$/;
const CODE_LINE = /[{}([\];,]\s*$|^\s*(?:\/\/|\/\*|[{}\])])/;
/** At least this many lines, this share of them code-like, before a fence-less passage is taken for code. */
const CODE_LINES = 3;
const CODE_SHARE = 0.6;
const HEADING = /^\s*#{1,6}\s+(.*?)\s*#*\s*$/;
/** Ends in ':', perhaps inside emphasis ("**Before (v4):**"): it introduces the block below. */
const LEAD_IN = /:[*_]*\s*$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+/;
const TABLE_LINE = /^\s*\|/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}/;
/** Docusaurus admonitions: `:::tip[Title]` keeps its title as text, bare `:::note` and `:::` lines go. */
const ADMONITION = /^\s*:::\s*\w*\s*(?:\[(.*)\])?\s*$/;
const IMAGE_ONLY = /^\s*!\[[^\]]*\]\([^)]*\)\s*$/;
const RULE = /^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/;
/** Same breaks as the draft splitter: . ! ? (then closing quotes) before a capital, digit, quote or code. */
const SENTENCE_BREAK = /(?<=[.!?]["')\]]*)\s+(?=[\p{Lu}\d"'(*_`])/u;
/** Text that cannot open a sentence: a lowercase word or closing punctuation. */
const MID_SENTENCE = /^[\p{Ll}\])},;.]/u;
/** A sentence shorter than this is usually a lead-in ("To do so, use:") or a fragment. */
const SHORT_SENTENCE = 120;
/** Opening words that refer back to the sentence before: alone, the sentence would not make sense. */
const LEANS_BACK = /^(?:this|that|these|those|it|its|they|such|then|otherwise|however|instead|also|here|in this case|for example|similarly)\b/i;

export function splitBlocks(markdown: string): Block[] {
  const lines = cleanLines(markdown);
  const blocks: Block[] = [];
  let heading = '';
  let i = 0;
  const push = (block: Omit<Block, 'heading' | 'lead'>) => {
    const before = blocks.at(-1);
    const leadIn = block.kind !== 'paragraph' && before?.kind === 'paragraph' ? before.units.at(-1) : undefined;
    blocks.push({ ...block, heading, ...(leadIn && LEAD_IN.test(leadIn) ? { lead: leadIn } : {}) });
  };
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
    } else if (FENCE.test(line)) {
      const fence = FENCE.exec(line)![1]!;
      const body = [line];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence); i++) body.push(lines[i]!);
      // A chunk can end inside a code block: close it so the rest of the reply is not code.
      body.push(i < lines.length ? lines[i]! : fence);
      i++;
      push({ kind: 'code', units: [body.join('\n')] });
    } else if (HEADING.test(line)) {
      heading = HEADING.exec(line)![1]!;
      i++;
    } else if (TABLE_LINE.test(line)) {
      const rows: string[] = [];
      for (; i < lines.length && TABLE_LINE.test(lines[i]!); i++) rows.push(lines[i]!);
      const hasHeader = rows.length >= 2 && TABLE_RULE.test(rows[1]!);
      push({ kind: 'table', units: hasHeader ? rows.slice(2) : rows, ...(hasHeader ? { header: rows.slice(0, 2).join('\n') } : {}) });
    } else if (LIST_ITEM.test(line)) {
      const items: string[] = [];
      for (; i < lines.length; i++) {
        const l = lines[i]!;
        const continues = LIST_ITEM.test(l) || (/^\s+\S/.test(l) && !FENCE.test(l));
        const looseNext = l.trim() === '' && LIST_ITEM.test(lines[i + 1] ?? '');
        if (!continues && !looseNext) break;
        if (l.trim() !== '') items.push(l);
      }
      push({ kind: 'list', units: [items.join('\n')] });
    } else {
      const text: string[] = [];
      for (; i < lines.length && startsParagraphLine(lines[i]!); i++) text.push(lines[i]!.trim());
      push({ kind: 'paragraph', units: text.join(' ').split(SENTENCE_BREAK).filter((s) => s.trim() !== '') });
    }
  }
  return blocks;
}

/**
 * The lines after the tail of a code block the chunker began the passage inside: read as prose,
 * that code would be quoted as sentences, and without its start it cannot be quoted whole. The
 * first fence closes a block when it is bare and the next one opens another (it carries a
 * language), or when it is the only bare fence left open and no lead-in ending in ':' comes before it.
 */
function withoutCodeTail(lines: string[]): string[] {
  const fences = lines.flatMap((l, i) => (FENCE.test(l) ? [i] : []));
  const first = fences[0];
  if (first === undefined && looksLikeCode(lines)) return [];
  if (first === undefined || first === 0 || !BARE_FENCE.test(lines[first]!)) return lines;
  const second = fences[1];
  const opensNext = second !== undefined && !BARE_FENCE.test(lines[second]!);
  const lastBefore = lines.slice(0, first).filter((l) => l.trim() !== '').at(-1) ?? '';
  const leftOpen = fences.length % 2 === 1 && !LEAD_IN.test(lastBefore);
  return opensNext || leftOpen ? lines.slice(first + 1) : lines;
}

/**
 * Most lines end or open the way code does (a brace, bracket, comma, semicolon, comment) and are
 * not list items: a passage cut from inside a code block, with neither of its fences.
 */
function looksLikeCode(lines: readonly string[]): boolean {
  const text = lines.filter((l) => l.trim() !== '');
  return text.length >= CODE_LINES && text.filter((l) => CODE_LINE.test(l) && !LIST_ITEM.test(l)).length >= CODE_SHARE * text.length;
}

function startsParagraphLine(line: string): boolean {
  return line.trim() !== '' && !FENCE.test(line) && !HEADING.test(line) && !TABLE_LINE.test(line) && !LIST_ITEM.test(line);
}

function cleanLines(markdown: string): string[] {
  const out: string[] = [];
  let inFence = false;
  for (const line of withoutCodeTail(markdown.split(/\r?\n/))) {
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence || FENCE.test(line)) {
      out.push(line);
      continue;
    }
    const admonition = ADMONITION.exec(line);
    if (admonition) {
      out.push(admonition[1]?.trim() ?? '');
      continue;
    }
    out.push(IMAGE_ONLY.test(line) || RULE.test(line) ? '' : line);
  }
  return out;
}

/**
 * Every quotable piece of `blocks`. A sentence takes along the one before when it leans on it, and
 * the one after when that one leans on it or when it is too short to say much alone.
 */
export function piecesOf(blocks: readonly Block[]): Piece[] {
  const out: Piece[] = [];
  blocks.forEach((block, b) => {
    block.units.forEach((unit, u) => {
      if (block.kind !== 'paragraph') {
        out.push({ block: b, units: [u] });
        return;
      }
      // A lead-in says nothing alone; it is quoted with the block it introduces.
      if (u === block.units.length - 1 && blocks[b + 1]?.lead === unit) return;
      // The tail of a sentence the chunker cut at the passage's start, when there is more to quote.
      if (b === 0 && u === 0 && MID_SENTENCE.test(unit) && (block.units.length > 1 || blocks.length > 1)) return;
      const units = u > 0 && LEANS_BACK.test(unit.trim()) ? [u - 1, u] : [u];
      const next = block.units[u + 1];
      if (next !== undefined && (unit.length < SHORT_SENTENCE || LEANS_BACK.test(next.trim()))) units.push(u + 1);
      out.push({ block: b, units });
    });
  });
  return out;
}

/** A block's chosen units as Markdown, in source order: a table keeps its header, a list or code block its lead-in. */
export function renderBlock(block: Block, units: Iterable<number>): string {
  const chosen = [...new Set(units)].sort((a, b) => a - b).map((u) => block.units[u]!);
  const lead = block.lead ? `${block.lead}\n` : '';
  switch (block.kind) {
    case 'paragraph':
      return chosen.join(' ');
    case 'list':
      return `${lead}${chosen.join('\n')}`;
    case 'table':
      // A blank line after the lead-in: not every renderer lets a table or fence interrupt a paragraph.
      return `${lead}${lead ? '\n' : ''}${block.header ? `${block.header}\n` : ''}${chosen.join('\n')}`;
    case 'code':
      return `${lead}${lead ? '\n' : ''}${chosen.join('\n')}`;
  }
}

