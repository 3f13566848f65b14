import { STOPWORDS, stem, tokenize, words } from '../../retrieval/text/index.js';

/**
 * Cheap word-overlap checks that stand in for model calls: does a passage bear on a question,
 * does a source back a sentence. Words are stemmed with the same tokenizer the stores index with.
 */

/** Distinct stemmed content words of `text` (stopwords dropped), numbers included. */
export function contentTerms(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of words(text)) if (!STOPWORDS.has(word)) out.add(stem(word));
  return out;
}

/** Every stemmed word of `text`, stopwords kept: the evidence side of a comparison. */
export function evidenceTerms(text: string): Set<string> {
  return new Set(tokenize(text));
}

/** Share of `terms` found in `evidence`; 0 when there are no terms. */
export function coverage(terms: ReadonlySet<string>, evidence: ReadonlySet<string>): number {
  if (terms.size === 0) return 0;
  let found = 0;
  for (const term of terms) if (evidence.has(term)) found += 1;
  return found / terms.size;
}

const NUMBER = /^\d/;

/** Numbers in `terms` that `evidence` does not contain: a figure no source gives is a red flag. */
export function missingNumbers(terms: ReadonlySet<string>, evidence: ReadonlySet<string>): string[] {
  return [...terms].filter((t) => NUMBER.test(t) && !evidence.has(t));
}
