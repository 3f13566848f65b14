import { describe, expect, it } from 'vitest';
import { fts5Or, queryTerms, queryWords, STOPWORDS, tokenize, words } from '../../../src/retrieval/text/index.js';

/** The sparse search's query: the question's distinct words as an FTS5 OR. */
const fts5Query = (text: string) => fts5Or(queryWords(text).map((w) => w.word));

describe('words', () => {
  it('lowercases, strips diacritics and splits on anything but letters and digits', () => {
    expect(words('Café-au-lait, NAÏVE_user #42 日本語')).toEqual(['cafe', 'au', 'lait', 'naive', 'user', '42', '日本語']);
  });
});

describe('tokenize', () => {
  it('stems every word and keeps stopwords and repeats, like the FTS5 porter tokenizer', () => {
    expect(tokenize('The runner was running; runs ran')).toEqual(['the', 'runner', 'wa', 'run', 'run', 'ran']);
  });

  it('returns nothing for text without words', () => {
    expect(tokenize(' -- !! ')).toEqual([]);
  });
});

describe('queryTerms', () => {
  it('drops stopwords and keeps one entry per stem, in first-seen order', () => {
    expect(queryTerms('How do I configure the configured Socket Mode in Bolt?')).toEqual(['configur', 'socket', 'mode', 'bolt']);
  });

  it('keeps stopwords when the query has nothing else', () => {
    expect(queryTerms('What is it?')).toEqual(['what', 'is', 'it']);
  });

  it('has a list of about 170 English stopwords', () => {
    expect(STOPWORDS.size).toBeGreaterThan(150);
    expect(STOPWORDS.has('the')).toBe(true);
    expect(STOPWORDS.has('slack')).toBe(false);
  });
});

describe('the FTS5 query built from a question', () => {
  it('quotes each distinct unstemmed word and OR-joins them', () => {
    expect(fts5Query('running apps run fast')).toBe('"running" OR "apps" OR "fast"');
  });

  it('neutralises FTS5 syntax in user text', () => {
    const q = fts5Query('title:secret* AND NEAR("a" b) ^x "unterminated');
    expect(q).toBe('"title" OR "secret" OR "near" OR "b" OR "x" OR "unterminated"');
    expect(q.replace(/"[^"]*"/g, '').replace(/ OR /g, '')).toBe('');
  });

  it('is empty when there are no words', () => {
    expect(fts5Query('?!')).toBe('');
  });
});
