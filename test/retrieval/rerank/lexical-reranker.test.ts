import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../../src/core/documents.js';
import type { SearchHit } from '../../../src/core/search.js';
import { createReranker, HttpReranker, LexicalReranker } from '../../../src/retrieval/rerank/index.js';
import { lexicalFeatures } from '../../../src/retrieval/rerank/lexical-reranker.js';

function hit(id: string, text: string, score: number, docId = id): SearchHit {
  const chunk: Chunk = { id, docId, source: `${docId}.md`, title: '', headingPath: [], chunkIndex: 0, totalChunks: 1, contentHash: id, accessGroup: 'public', text };
  return { chunk, score };
}

describe('LexicalReranker', () => {
  it('measures coverage and the tightness of the smallest window holding the matched terms', () => {
    const terms = ['deploi', 'rollback', 'cluster'];
    expect(lexicalFeatures(terms, 'rollback the deploy now')).toEqual({ coverage: 2 / 3, proximity: 2 / 3 });
    expect(lexicalFeatures(terms, 'deploy rollback cluster')).toEqual({ coverage: 1, proximity: 1 });
    expect(lexicalFeatures(terms, 'deploy only')).toEqual({ coverage: 1 / 3, proximity: 0 });
    // The tightest of several windows counts: "cluster deploy rollback" at the end.
    expect(lexicalFeatures(terms, 'deploy x x x x rollback x cluster deploy rollback').proximity).toBe(1);
  });

  it('ranks a chunk holding every query term side by side above a slightly better-scored one holding half of them', async () => {
    const pool = [
      hit('top', 'Kubernetes cluster sizing guide.', 1.0),
      hit('half', 'Roll the dice, then read the notes on cluster back-ups.', 0.85),
      hit('all', 'How to roll back kubernetes deploy changes.', 0.8),
      hit('low', 'Lunch menu for Friday.', 0.2),
    ];
    const out = await new LexicalReranker().rerank('roll back kubernetes deploy', pool, 4);
    const rank = out.map((h) => h.chunk.id);
    expect(rank.indexOf('all')).toBeLessThan(rank.indexOf('half'));
    const all = out.find((h) => h.chunk.id === 'all')!;
    // Fused, coverage and the document's coverage (its only chunk holds every term); proximity weighs 0.
    expect(all.score).toBeCloseTo(0.7 * ((0.8 - 0.2) / 0.8) + 0.2 * 1 + 0.1 * 1, 9);
    expect(rank.at(-1)).toBe('low');
  });

  it('keeps the retrieval order when the words do not separate the candidates, and respects k', async () => {
    const hits = [hit('a', 'alpha', 3), hit('b', 'bravo', 2), hit('c', 'charlie', 1)];
    expect((await new LexicalReranker().rerank('zulu', hits, 2)).map((h) => h.chunk.id)).toEqual(['a', 'b']);
    expect((await new LexicalReranker().rerank('?!', hits, 2)).map((h) => h.chunk.id)).toEqual(['a', 'b']);
  });

  it('lifts a chunk whose document holds the rest of the question in another candidate chunk', async () => {
    // Both chunks hold the same two of four terms and score the same; only the page's sibling section holds the other two.
    const hits = [
      hit('lonely#0', 'socket mode setup for the app', 1, 'lonely'),
      hit('page#0', 'socket mode setup for the app', 1, 'page'),
      hit('page#1', 'pass appToken and the websocket starts', 0.2, 'page'),
    ];
    const out = await new LexicalReranker().rerank('socket mode appToken websocket', hits, 3);
    expect(out.map((h) => h.chunk.id).slice(0, 2)).toEqual(['page#0', 'lonely#0']);
    expect(out[0]!.score - out[1]!.score).toBeCloseTo(0.1 * (4 / 4 - 2 / 4), 9);
  });

  it('counts a document\'s terms only among the candidates it is given', async () => {
    const alone = [hit('page#0', 'socket mode setup', 1, 'page'), hit('other', 'unrelated words', 0)];
    const withSibling = [...alone, hit('page#1', 'appToken websocket', 0, 'page')];
    const query = 'socket mode appToken websocket';
    const score = async (hits: SearchHit[]) => (await new LexicalReranker().rerank(query, hits, 3)).find((h) => h.chunk.id === 'page#0')!.score;
    expect((await score(withSibling)) - (await score(alone))).toBeCloseTo(0.1 * (2 / 4), 9);
  });

  it('takes its weights from the constructor', async () => {
    const hits = [hit('high', 'nothing relevant', 1), hit('low', 'deploy rollback', 0)];
    const lexicalOnly = new LexicalReranker({ fused: 0, coverage: 1, proximity: 0, document: 0 });
    expect((await lexicalOnly.rerank('deploy rollback', hits, 2)).map((h) => h.chunk.id)).toEqual(['low', 'high']);
    const proximityOnly = new LexicalReranker({ fused: 0, coverage: 0, proximity: 1, document: 0 });
    const spread = [hit('far', 'deploy x x x rollback', 1), hit('near', 'deploy rollback', 0)];
    expect((await proximityOnly.rerank('deploy rollback', spread, 2)).map((h) => h.chunk.id)).toEqual(['near', 'far']);
    const fusedOnly = new LexicalReranker({ fused: 1, coverage: 0, proximity: 0, document: 0 });
    expect((await fusedOnly.rerank('deploy rollback', hits, 2)).map((h) => h.chunk.id)).toEqual(['high', 'low']);
  });
});

describe('createReranker', () => {
  const logger = pino({ level: 'silent' });
  const base = { fusion: 'linear', denseWeight: 0.1, rrfK: 60, k: 6 } as const;

  it('picks http when RERANK_URL is set under auto, lexical otherwise, and none when off', () => {
    expect(createReranker({ ...base, reranker: 'auto', rerankUrl: 'http://127.0.0.1:9/rerank' }, logger)).toBeInstanceOf(HttpReranker);
    expect(createReranker({ ...base, reranker: 'auto' }, logger)).toBeInstanceOf(LexicalReranker);
    expect(createReranker({ ...base, reranker: 'lexical', rerankUrl: 'http://127.0.0.1:9' }, logger)).toBeInstanceOf(LexicalReranker);
    expect(createReranker({ ...base, reranker: 'off', rerankUrl: 'http://127.0.0.1:9' }, logger)).toBeNull();
    expect(() => createReranker({ ...base, reranker: 'http' }, logger)).toThrow(/RERANK_URL/);
  });
});
