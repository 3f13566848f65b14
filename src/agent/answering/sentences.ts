/**
 * A draft answer as lines of sentences, so single sentences can be checked and dropped while
 * the Markdown around them (bullets, headings, code blocks) survives.
 */

export interface DraftLine {
  /** List bullet, heading or quote marker (with indentation) that starts the line. */
  prefix: string;
  sentences: string[];
  /** Inside a fenced code block: kept verbatim, never checked. */
  verbatim: boolean;
}

const LINE_PREFIX = /^(\s*(?:[-*+]|\d+[.)])\s+|\s*#{1,6}\s+|\s*>\s+)/;
const FENCE = /^\s*(```|~~~)/;
/** A sentence ends at . ! or ? (then any closing quotes and citation markers) before a capital, digit or quote. */
const SENTENCE_BREAK = /(?<=[.!?]["')\]]*(?:\s*\[\d+\])*)\s+(?=[\p{Lu}\d"'(*_])/u;
const MARKER = /\s*\[(\d+)\]/g;

export function splitDraft(draft: string): DraftLine[] {
  const out: DraftLine[] = [];
  let inFence = false;
  for (const line of draft.split('\n')) {
    if (FENCE.test(line)) {
      out.push({ prefix: line, sentences: [], verbatim: true });
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push({ prefix: line, sentences: [], verbatim: true });
      continue;
    }
    const prefix = LINE_PREFIX.exec(line)?.[1] ?? '';
    const body = line.slice(prefix.length).trim();
    out.push({ prefix, sentences: body ? body.split(SENTENCE_BREAK).filter((s) => s.length > 0) : [], verbatim: false });
  }
  return out;
}

/**
 * Rebuilds the text from the sentences `keep` accepts. A line that had sentences and lost all of
 * them disappears; blank runs collapse to one blank line.
 */
export function joinDraft(lines: DraftLine[], keep: (line: number, sentence: number) => boolean): string {
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (line.verbatim) {
      out.push(line.prefix);
      return;
    }
    if (line.sentences.length === 0) {
      out.push(line.prefix.trimEnd());
      return;
    }
    const kept = line.sentences.filter((_, j) => keep(i, j));
    if (kept.length > 0) out.push(line.prefix + kept.join(' '));
  });
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Citation numbers in the order they appear, repeats removed. */
export function citedNumbers(text: string): number[] {
  const seen = new Set<number>();
  for (const m of text.matchAll(MARKER)) seen.add(Number(m[1]));
  return [...seen];
}

export function stripMarkers(text: string): string {
  return text.replace(MARKER, '');
}

/** Rewrites each `[n]` through `map`; markers mapped to undefined are removed. */
export function mapMarkers(text: string, map: (n: number) => number | undefined): string {
  return text.replace(MARKER, (whole, n: string) => {
    const to = map(Number(n));
    return to === undefined ? '' : whole.replace(n, String(to));
  });
}

/** Writes "[1, 2]", "[1,2]" and "[1-3]" as "[1][2]" and "[1][2][3]", the one form the rest reads. */
export function normalizeMarkers(text: string): string {
  return text
    .replace(/\[(\d+)\s*[-–]\s*(\d+)\]/g, (whole, a: string, b: string) => {
      const from = Number(a);
      const to = Number(b);
      if (to < from || to - from > 20) return whole;
      return Array.from({ length: to - from + 1 }, (_, i) => `[${from + i}]`).join('');
    })
    .replace(/\[(\d+(?:\s*,\s*\d+)+)\]/g, (_, list: string) => list.split(',').map((n) => `[${n.trim()}]`).join(''));
}
