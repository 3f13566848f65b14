export { words, stem, tokenize, queryWords, queryTerms, fts5Or } from './tokenize.js';
export { STOPWORDS } from './stopwords.js';
