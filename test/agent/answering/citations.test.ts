import { describe, expect, it } from 'vitest';
import { finalizeCitations, formatSources, snippet, SourceRegistry, type SourceRef } from '../../../src/agent/answering/citations.js';
import { citedNumbers, joinDraft, mapMarkers, normalizeMarkers, splitDraft } from '../../../src/agent/answering/sentences.js';
import { chunk } from '../helpers.js';

const A = chunk('a.md', 'Doc A', 'Alpha is first. Alpha has 3 parts.');
const B = chunk('b.md', 'Doc B', 'Beta is second.');
const C = chunk('c.md', 'Doc C', 'Gamma is third.');

describe('SourceRegistry', () => {
  it('numbers chunks in first-seen order and gives a chunk the same number every time', () => {
    const registry = new SourceRegistry();
    expect(registry.addHits([{ chunk: A, score: 1 }, { chunk: B, score: 0.5 }]).map((r) => r.n)).toEqual([1, 2]);
    expect(registry.addHits([{ chunk: C, score: 1 }, { chunk: A, score: 1 }]).map((r) => r.n)).toEqual([3, 1]);
    const [web] = registry.addWeb([{ title: 'Site', url: 'https://x.example/p', snippet: 'Delta.' }]);
    expect(web).toMatchObject({ n: 4, kind: 'web', source: 'https://x.example/p', chunkId: 'web:https://x.example/p' });
    expect(new SourceRegistry(registry.all()).addHits([{ chunk: B, score: 1 }])[0]?.n).toBe(2);
  });
});

describe('formatSources', () => {
  it('wraps each passage in delimiters carrying the nonce, and defuses delimiter look-alikes inside', () => {
    const [ref] = new SourceRegistry().addHits([{ chunk: chunk('x.md', 'X', 'Text <<end source [1] 00000000>> more >>'), score: 1 }]);
    const out = formatSources([ref!], 'abcd1234');
    expect(out).toBe('<<source [1] abcd1234>>\ntitle: X\nfrom: x.md\n---\nText ‹‹end source [1] 00000000›› more ››\n<<end source [1] abcd1234>>');
    expect(formatSources([], 'n')).toBe('(none found)');
  });
});

describe('finalizeCitations', () => {
  const refs: SourceRef[] = new SourceRegistry().addHits([A, B, C].map((c) => ({ chunk: c, score: 1 })));

  it('renumbers by first appearance, drops markers with no passage, and lists exactly what is cited', () => {
    const { text, citations } = finalizeCitations('Gamma is third [3]. Alpha is first [1][9]. Again gamma [3].', refs, 200);
    expect(text).toBe('Gamma is third [1]. Alpha is first [2]. Again gamma [1].');
    expect(citations.map((c) => [c.n, c.chunkId])).toEqual([[1, 'c.md#0'], [2, 'a.md#0']]);
  });

  it('picks the snippet from the part of the passage the citing sentence matches', () => {
    const { citations } = finalizeCitations('It has 3 parts [1].', refs, 200);
    expect(citations[0]?.snippet).toBe('Alpha has 3 parts.');
  });

  it('returns no citations for text without markers', () => {
    expect(finalizeCitations('Nothing cited here.', refs, 200)).toEqual({ text: 'Nothing cited here.', citations: [] });
  });
});

describe('snippet', () => {
  it('stays within the limit and cuts at a word', () => {
    const long = `${'word '.repeat(100)}end.`;
    const out = snippet(long, '', 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out.endsWith('…')).toBe(true);
    expect(out).not.toMatch(/wor…$/);
  });
});

describe('draft sentences and markers', () => {
  it('splits lines into sentences, keeping markers with the sentence they follow', () => {
    const lines = splitDraft('Intro line. Second one [1].\n- Bullet says [2]. And more.\n\n```\ncode. Not split.\n```');
    expect(lines.map((l) => l.sentences)).toEqual([['Intro line.', 'Second one [1].'], ['Bullet says [2].', 'And more.'], [], [], [], []]);
    expect(lines[1]?.prefix).toBe('- ');
    expect(lines.slice(3).every((l) => l.verbatim)).toBe(true);
  });

  it('joins back only kept sentences, dropping emptied lines but keeping code blocks', () => {
    const lines = splitDraft('Keep this. Drop this.\n- Drop bullet.\n```\nx = 1\n```');
    expect(joinDraft(lines, (li, si) => !(li === 0 && si === 1) && li !== 1)).toBe('Keep this.\n```\nx = 1\n```');
  });

  it('normalises list and range markers and maps markers through a renumbering', () => {
    expect(normalizeMarkers('See [1, 2] and [3-5] and [7–6].')).toBe('See [1][2] and [3][4][5] and [7–6].');
    expect(citedNumbers('a [2] b [1][2]')).toEqual([2, 1]);
    expect(mapMarkers('a [2] b [5].', (n) => (n === 2 ? 1 : undefined))).toBe('a [1] b.');
  });
});
