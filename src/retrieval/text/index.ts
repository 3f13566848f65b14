export { words, stem, tokenize, queryTerms, fts5Query } from './tokenize.js';
export { STOPWORDS } from './stopwords.js';
