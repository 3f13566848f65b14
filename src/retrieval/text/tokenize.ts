import { stemmer } from 'stemmer';
import { STOPWORDS } from './stopwords.js';

/**
 * One tokenizer for every lexical path, so the embedded store's FTS5 queries and Qdrant's sparse
 * vectors see the same terms. It mirrors FTS5's `porter unicode61`: lowercase, diacritics removed,
 * runs of letters and digits, Porter-stemmed.
 */

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}/gu;

/** Lowercased, diacritic-free words in order, not stemmed. */
export function words(text: string): string[] {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase().match(WORD) ?? [];
}

export function stem(word: string): string {
  return stemmer(word);
}

/**
 * Index-side terms: every word stemmed, stopwords kept and repeats kept (term frequency matters),
 * like FTS5's porter tokenizer, which also indexes stopwords.
 */
export function tokenize(text: string): string[] {
  return words(text).map(stem);
}

/**
 * The distinct words that carry a query, each with its stem, in first-seen order. Stopwords are
 * dropped unless nothing else is left ("what is it" still searches for something).
 */
export function queryWords(text: string): Array<{ word: string; stem: string }> {
  const all = words(text);
  const content = all.filter((w) => !STOPWORDS.has(w));
  const chosen = content.length > 0 ? content : all;
  const seen = new Set<string>();
  const out: Array<{ word: string; stem: string }> = [];
  for (const word of chosen) {
    const s = stem(word);
    if (seen.has(s)) continue;
    seen.add(s);
    out.push({ word, stem: s });
  }
  return out;
}

/** Distinct stemmed query terms, stopwords removed (kept when the query is nothing but stopwords). */
export function queryTerms(text: string): string[] {
  return queryWords(text).map((w) => w.stem);
}

/**
 * `"a" OR "b"`: words (letters and digits only, as `words` gives them) as an FTS5 OR of single-term
 * phrases, so no FTS5 syntax (AND, NEAR, *, ^, column filters, quotes) in the user's text can take
 * effect. Pass words unstemmed: the FTS5 porter tokenizer stems them itself.
 */
export function fts5Or(words: string[]): string {
  return words.map((w) => `"${w}"`).join(' OR ');
}
