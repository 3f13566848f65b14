import { describe, expect, it } from 'vitest';
import { BM25, chunkSparseVector, querySparseVector, termId } from '../../../src/retrieval/qdrant/sparse.js';
import { stem } from '../../../src/retrieval/text/index.js';

const chunk = (text: string) => ({ title: '', headingPath: [], text });

describe('BM25 sparse vectors', () => {
  it('hashes terms to stable unsigned 32-bit ids (FNV-1a)', () => {
    expect(termId('a')).toBe(0xe40c292c);
    expect(termId('')).toBe(0x811c9dc5);
    expect(termId('deploy')).toBe(termId('deploy'));
    expect(termId('deploy')).not.toBe(termId('deplay'));
    for (const t of ['zeppelin', 'über', '東京']) expect(termId(t)).toBeGreaterThanOrEqual(0);
  });

  it('weights each term by saturated term frequency with length normalisation', () => {
    const v = chunkSparseVector(chunk('deploy deploy rollout'));
    const weight = (word: string) => v.values[v.indices.indexOf(termId(stem(word)))]!;
    const norm = BM25.k1 * (1 - BM25.b + (BM25.b * 3) / BM25.avgLength);
    expect(weight('deploy')).toBeCloseTo((2 * (BM25.k1 + 1)) / (2 + norm), 10);
    expect(weight('rollout')).toBeCloseTo((BM25.k1 + 1) / (1 + norm), 10);
    // Indices are unique and sorted, as Qdrant requires unique ones.
    expect([...v.indices].sort((a, b) => a - b)).toEqual(v.indices);
    expect(new Set(v.indices).size).toBe(v.indices.length);
  });

  it('penalises the same term in a longer chunk', () => {
    const short = chunkSparseVector(chunk('deploy now'));
    const long = chunkSparseVector(chunk(`deploy ${'filler '.repeat(300)}`));
    const id = termId(stem('deploy'));
    expect(long.values[long.indices.indexOf(id)]!).toBeLessThan(short.values[short.indices.indexOf(id)]!);
  });

  it('indexes the breadcrumb and stems like the query side', () => {
    const v = chunkSparseVector({ title: 'Leave policy', headingPath: ['Sick days'], text: 'Rules.' });
    const q = querySparseVector('policies on sickness');
    expect(q.indices.every((i) => v.indices.includes(i))).toBe(true);
  });

  it('builds a query vector of distinct terms with weight 1, stopwords dropped', () => {
    const q = querySparseVector('How do I deploy? Deploying, deploys!');
    expect(q).toEqual({ indices: [termId(stem('deploy'))], values: [1] });
    expect(querySparseVector('?!')).toEqual({ indices: [], values: [] });
  });
});
