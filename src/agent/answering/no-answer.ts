import { indexText } from '../../core/documents.js';
import type { SearchHit } from '../../core/search.js';
import { STOPWORDS, stem, tokenize } from '../../retrieval/text/index.js';
import { contentTerms, coverage, evidenceTerms } from './lexical.js';

/**
 * When retrieval shows the docs do not hold the answer, so Cairn declines instead of quoting
 * passages beside the point. Two signals, calibrated on the Bolt docs set (docs/evaluation.md):
 * a name the question uses that no close passage contains, and passages that share almost no
 * words with the question. Score margins and the reranker's score were measured too and did not
 * separate answerable from unanswerable questions there, so they are not used.
 */

/**
 * How many of the best passages are searched for the question's names. The answer's own passage
 * is not always in the top few; 20 holds it for 94% of the Bolt docs questions, and with fewer
 * a name the docs do use but only further down ("Slack API") reads as missing.
 */
export const NAME_PASSAGES = 20;

/** The grade node's floor: a passage holding less of the question's words does not bear on it. */
const MIN_RELEVANCE = 0.2;

export type NoAnswer = { reason: 'no-passages' } | { reason: 'off-topic' } | { reason: 'unknown-name'; names: string[] };

/** Why the docs plainly do not answer `question`, given its best passages; null when they may. */
export function noAnswer(question: string, hits: readonly SearchHit[]): NoAnswer | null {
  if (hits.length === 0) return { reason: 'no-passages' };
  const terms = contentTerms(question);
  const texts = hits.slice(0, NAME_PASSAGES).map((h) => indexText(h.chunk));
  if (terms.size > 0 && Math.max(...texts.map((t) => coverage(terms, evidenceTerms(t)))) < MIN_RELEVANCE) return { reason: 'off-topic' };
  const missing = missingNames(question, texts);
  return missing.length > 0 ? { reason: 'unknown-name', names: missing } : null;
}

/**
 * The names in `question` that none of `texts` contains, words in order. A name is a run of
 * words that are capitalised inside a sentence, camelCase, or letters mixed with digits: "Google
 * Cloud Run", "files.uploadV2", "5xx", "Bolt v6". A question about a product, an API or a version
 * the docs never mention is one they cannot answer, however well its other words match.
 */
export function missingNames(question: string, texts: readonly string[]): string[] {
  // One-letter tokens dropped so "Slack's API" still reads as the name "Slack API".
  const sequences = texts.map((t) => tokenize(t).filter((w) => w.length > 1));
  return namesIn(question)
    .filter((name) => !sequences.some((seq) => containsRun(seq, name.stems)))
    .map((name) => name.text);
}

interface Name {
  text: string;
  stems: string[];
}

const WORD = /[\p{L}\p{N}]+/gu;

function namesIn(question: string): Name[] {
  const out: Name[] = [];
  for (const sentence of question.split(/(?<=[.!?])\s+/)) {
    let run: string[] = [];
    const flush = () => {
      if (run.length > 0) out.push({ text: run.join(' '), stems: run.map((w) => stem(w.toLowerCase())) });
      run = [];
    };
    [...sentence.matchAll(WORD)].forEach((m, i) => {
      if (isName(m[0], i)) run.push(m[0]);
      else flush();
    });
    flush();
  }
  return out;
}

function isName(word: string, position: number): boolean {
  if (word.length < 2 || STOPWORDS.has(word.toLowerCase())) return false;
  // A capital opening a sentence says nothing; one inside it marks a name.
  const capitalised = position > 0 && /^\p{Lu}/u.test(word);
  const camel = /\p{Ll}\p{Lu}/u.test(word);
  const mixed = /\p{L}/u.test(word) && /\p{N}/u.test(word);
  return capitalised || camel || mixed;
}

function containsRun(sequence: readonly string[], run: readonly string[]): boolean {
  for (let i = 0; i + run.length <= sequence.length; i++) {
    if (run.every((w, j) => sequence[i + j] === w)) return true;
  }
  return false;
}
