import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/eval/answers/html-report.js';
import { histogram } from '../../../src/eval/answers/html-charts.js';
import { averageMetrics, averagesByKind, worstCases } from '../../../src/eval/answers/aggregate.js';
import type { AnswerReport, AnswerRow } from '../../../src/eval/answers/types.js';

function row(id: string, over: Partial<AnswerRow>): AnswerRow {
  return {
    id, kind: 'single', answerable: true, question: `question ${id}`, history: [], goldDocs: ['a.md'], answer: `answer ${id}`, declined: false,
    citations: [], contexts: [], metrics: {}, verdicts: null, ms: 5, ...over,
  };
}

const rows: AnswerRow[] = [
  row('good', { metrics: { faithfulness: 1, gold_doc_cited: 1 } }),
  row('bad', {
    question: 'Is <script>alert("x")</script> & co allowed?',
    answer: 'Yes <img src=x onerror=alert(1)> [1]',
    metrics: { faithfulness: 0.25, gold_doc_cited: 0 },
    verdicts: { claims: [{ claim: 'It is <b>allowed</b>', supported: false }] },
    contexts: [{ chunkId: 'a.md#0', docId: 'a.md', title: 'A', source: 'a.md', text: '</div><script>steal()</script>', rank: 1, cited: true }],
  }),
  row('unans', { answerable: false, kind: 'unanswerable', goldDocs: [], metrics: { declines_unanswerable: 1 } }),
];

function report(): AnswerReport {
  return {
    source: 'dataset', dataset: 'fixture', at: '2025-01-01T00:00:00.000Z', mode: 'extractive', model: null, judge: null, needsJudge: ['context_recall'],
    judgeNote: 'Set JUDGE_MODEL', embedder: 'hash', k: 4, questions: 3, answerable: 2, averages: averageMetrics(rows), byKind: averagesByKind(rows), rows,
  };
}

describe('answer report aggregation and HTML', () => {
  it('averages each metric over the questions it applies to and ranks the worst cases first', () => {
    expect(averageMetrics(rows)).toEqual({ faithfulness: { mean: 0.625, n: 2 }, gold_doc_cited: { mean: 0.5, n: 2 }, declines_unanswerable: { mean: 1, n: 1 } });
    expect(worstCases(rows, 2).map((r) => r.id)).toEqual(['bad', 'good']);
    expect(histogram([0, 0.05, 0.5, 0.99, 1])).toEqual([2, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
  });

  it('is one self-contained page: inline CSS and SVG, no scripts or external assets, every text escaped', () => {
    const html = renderHtmlReport(report());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html.match(/<svg class="hist"/g)).toHaveLength(3);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc="|\shref="|@import|url\(/i);
    expect(html).toContain('Is &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co allowed?');
    expect(html).toContain('Yes &lt;img src=x onerror=alert(1)&gt; [1]');
    expect(html).toContain('It is &lt;b&gt;allowed&lt;/b&gt;');
    expect(html).toContain('&lt;/div&gt;&lt;script&gt;steal()&lt;/script&gt;');
    expect(html).toContain('Needs a judge model, not computed: context recall.');
    // The worst case comes first among the cases.
    expect(html.indexOf('<h3>bad')).toBeLessThan(html.indexOf('<h3>good'));
  });
});
