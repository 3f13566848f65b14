import { citedNumbers, splitDraft, stripMarkers } from '../../agent/index.js';
import type { CitedSource, ContextPassage } from './types.js';

/** Longest passage text shown to the judge: chunks are ~1,200 characters, this only guards oddities. */
const PASSAGE_CHARS = 4000;

/** Passages as labelled blocks P1…Pn; stray "<<" and ">>" are defused so a passage cannot close its block. */
export function formatPassages(contexts: readonly ContextPassage[]): string {
  if (contexts.length === 0) return '(none retrieved)';
  return contexts
    .map((p, i) => {
      const text = p.text.slice(0, PASSAGE_CHARS).replace(/<</g, '‹‹').replace(/>>/g, '››');
      return `<<passage P${i + 1}>>\ntitle: ${p.title}\n---\n${text}\n<<end passage P${i + 1}>>`;
    })
    .join('\n\n');
}

export interface CitationPair {
  sentence: string;
  /** 1-based position of the cited passage among the contexts. */
  passage: number;
}

/** Every (sentence, cited passage) pair in the answer: one per marker that resolves to a retrieved passage. */
export function citationPairs(answer: string, citations: readonly CitedSource[], contexts: readonly ContextPassage[]): CitationPair[] {
  const pairs: CitationPair[] = [];
  for (const line of splitDraft(answer)) {
    for (const sentence of line.sentences) {
      for (const n of citedNumbers(sentence)) {
        const chunkId = citations.find((c) => c.n === n)?.chunkId;
        const at = contexts.findIndex((p) => p.chunkId === chunkId);
        if (at >= 0) pairs.push({ sentence: stripMarkers(sentence).trim(), passage: at + 1 });
      }
    }
  }
  return pairs;
}

export function formatPairs(pairs: readonly CitationPair[]): string {
  if (pairs.length === 0) return '(no cited sentences)';
  return pairs.map((p, i) => `Pair ${i + 1}: passage P${p.passage} for the sentence "${p.sentence.replace(/"/g, '\'')}"`).join('\n');
}

/** RAGAS context precision: precision@k averaged over the ranks k that hold a useful passage. */
export function averagePrecision(useful: readonly boolean[]): number {
  let hits = 0;
  let sum = 0;
  useful.forEach((u, i) => {
    if (!u) return;
    hits += 1;
    sum += hits / (i + 1);
  });
  return hits === 0 ? 0 : sum / hits;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export function share(flags: readonly boolean[]): number | null {
  return flags.length === 0 ? null : flags.filter(Boolean).length / flags.length;
}
