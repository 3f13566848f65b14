import { describe, expect, it } from 'vitest';
import { isDecline, judgeFreeMetrics } from '../../../src/eval/answers/judge-free.js';
import type { AnswerRun, EvalCase } from '../../../src/eval/answers/types.js';

function evalCase(over: Partial<EvalCase> = {}): EvalCase {
  return { id: 'q1', question: 'How many days of leave?', history: [], kind: 'single', answerable: true, goldDocs: new Map([['hr/leave.md', 1]]), evidence: '25 days of **paid** leave', ...over };
}

function run(over: Partial<AnswerRun> = {}): AnswerRun {
  return {
    answer: 'You get 25 days [1]. Ask HR [2].',
    citations: [
      { n: 1, docId: 'hr/leave.md', source: 'docs/hr/leave.md', chunkId: 'docs/hr/leave.md#0' },
      { n: 2, docId: 'hr/contacts.md', source: 'docs/hr/contacts.md', chunkId: 'docs/hr/contacts.md#0' },
    ],
    contexts: [
      { chunkId: 'docs/hr/contacts.md#0', docId: 'hr/contacts.md', title: 'Contacts', source: 'docs/hr/contacts.md', text: 'Ask HR.' },
      { chunkId: 'docs/hr/leave.md#0', docId: 'hr/leave.md', title: 'Leave', source: 'docs/hr/leave.md', text: 'Everyone gets 25  days of paid\nleave a year.' },
    ],
    declined: false,
    verdict: 'supported',
    ms: 1,
    ...over,
  };
}

describe('isDecline', () => {
  it.each([
    ["I couldn't find that in the docs.", true],
    ["I couldn’t find that in the docs. The closest sources I found: [1], [2] and [3].", true],
    ['No language model is configured. I couldn\'t find that in the docs.', true],
    ["I couldn't finish looking this up within my limit of 4 steps.", true],
    ['The documentation does not mention Google Cloud Run.', true],
    ["I don't know.", true],
    ['There is no information about Redis in the docs.', true],
    ['Call ack() within 3 seconds [1].', false],
    // A quoted passage that happens to say "Cannot find" is not the reply declining.
    ["No language model is configured. Here are the most relevant passages from the docs:\n\n> error TS2304: Cannot find name 'ErrorOptions'. [1]", false],
    ['Socket Mode is enabled with socketMode: true [1]. The docs do not say whether it works on Lambda.', false],
  ])('%j → %s', (text, expected) => {
    expect(isDecline(text)).toBe(expected);
  });
});

describe('judgeFreeMetrics', () => {
  it('scores an answer that cites its gold document, with the evidence in the cited passage and the gold doc ranked second', () => {
    const m = judgeFreeMetrics(evalCase(), run(), 6);
    expect(m).toEqual({
      citations_resolve: 1,
      declines_answerable: 0,
      cited: 1,
      gold_doc_cited: 1,
      evidence_in_cited: 1,
      'recall@k': 1,
      'mrr@10': 0.5,
      'ndcg@10': expect.closeTo(1 / Math.log2(3), 6),
    });
  });

  it('counts markers that point at no listed source, and misses evidence that is only in an uncited passage', () => {
    const m = judgeFreeMetrics(evalCase(), run({ answer: 'You get 25 days [2]. Also [7] and [8].', citations: [run().citations[1]!] }), 6);
    expect(m.citations_resolve).toBeCloseTo(1 / 3, 6);
    expect(m.gold_doc_cited).toBe(0);
    expect(m.evidence_in_cited).toBe(0);
  });

  it('gives a decline of an answerable question no citation credit, and scores an unanswerable one on declining alone', () => {
    const declined = run({ answer: "I couldn't find that in the docs. The closest sources I found: [1].", declined: true });
    expect(judgeFreeMetrics(evalCase(), declined, 6)).toMatchObject({ declines_answerable: 1, cited: 0, gold_doc_cited: 0, evidence_in_cited: 0 });
    const unanswerable = evalCase({ answerable: false, goldDocs: new Map(), evidence: '' });
    expect(judgeFreeMetrics(unanswerable, declined, 6)).toEqual({ citations_resolve: 1, declines_unanswerable: 1 });
    expect(judgeFreeMetrics(unanswerable, run(), 6)).toEqual({ citations_resolve: 1, declines_unanswerable: 0 });
  });

  it('uses only the first k contexts for recall@k and says whether a replayed answer differs from the rejected one', () => {
    const c = evalCase({ rejected: { answer: 'you get 25 DAYS [1].  Ask HR [2].', reasons: [], contexts: [] } });
    expect(judgeFreeMetrics(c, run(), 1)).toMatchObject({ 'recall@k': 0, differs_from_rejected: 0 });
    expect(judgeFreeMetrics(c, run({ answer: 'Twenty-five days [1].' }), 1).differs_from_rejected).toBe(1);
  });
});
