import { afterAll, describe, expect, it } from 'vitest';
import type { Retriever, RetrieveOptions } from '../../../src/core/retriever.js';
import { SentenceEncoderEmbedder } from '../../../src/embed/sentence-encoder.js';
import { findGaps } from '../../../src/eval/gaps/find-gaps.js';
import { distinctiveTerms, suggestTitle } from '../../../src/eval/gaps/label.js';
import type { VotedExchange } from '../../../src/feedback/types.js';

let n = 0;
function weak(question: string, over: Partial<VotedExchange> = {}): VotedExchange {
  n += 1;
  return {
    requestId: `r${n}`, platform: 'slack', channelId: 'C1', question, history: [], answer: "I couldn't find that in the docs.", citations: [],
    verdict: 'unsupported', at: '2026-11-01T10:00:00.000Z', accessGroups: ['public'], up: 0, down: 0, reasons: [], ...over,
  };
}

/** Records what was searched and with which groups; answers with one document per query. */
class SpyRetriever implements Retriever {
  readonly calls: Array<{ query: string; groups: string[] }> = [];
  async search(query: string, opts: RetrieveOptions) {
    this.calls.push({ query, groups: opts.accessGroups });
    return [{ score: 1, chunk: { id: 'd#0', docId: 'd', source: 'docs/near.md', title: `Near ${query.slice(0, 12)}`, headingPath: [], chunkIndex: 0, totalChunks: 1, contentHash: 'h', accessGroup: 'public', text: '…' } }];
  }
}

// The real offline model: paraphrase grouping is the model's job, so a fake vector would prove nothing.
describe('findGaps (offline USE model)', () => {
  const embedder = new SentenceEncoderEmbedder({ batchSize: 8 });
  afterAll(async () => { await embedder.close(); });

  it('groups planted paraphrases, keeps unrelated questions apart, and labels each group', async () => {
    const vpn = ['How do I connect to the VPN from home?', 'How can I connect to the company VPN when working from home?', 'Connecting to the VPN from home: how?'];
    const expenses = ['How do I submit a travel expense claim?', 'Where do I file my travel expenses?', 'How do I claim travel expenses back?'];
    const loners = ['What colour is the office carpet on floor 3?', 'Who won the chess tournament last year?'];
    const retriever = new SpyRetriever();
    const report = await findGaps([...vpn, ...expenses, ...loners].map((q) => weak(q)), { embedder, retriever, readable: ['public'] });

    const sets = report.groups.map((g) => new Set(g.examples));
    expect(report.groups.slice(0, 2).map((g) => g.size)).toEqual([3, 3]);
    expect(sets.some((s) => vpn.every((q) => s.has(q)))).toBe(true);
    expect(sets.some((s) => expenses.every((q) => s.has(q)))).toBe(true);
    expect(report.groups.filter((g) => g.size === 1).map((g) => g.examples[0]).sort()).toEqual([...loners].sort());
    const vpnGroup = report.groups.find((g) => g.examples.includes(vpn[0]!))!;
    expect(vpnGroup.terms).toContain('vpn');
    expect(vpnGroup.outcomes).toEqual({ unsupported: 3, partial: 0, downVotes: 0 });
    expect(vpnGroup.closest[0]!.source).toBe('docs/near.md');
    expect(retriever.calls.every((c) => c.groups.join() === 'public')).toBe(true);
  });

  it('shows a question only where everything its conversation could read may be read', async () => {
    const report = await findGaps([weak('What is the parental leave policy?', { accessGroups: ['public', 'hr'] }), weak('Where is the VPN guide?'), weak('Legacy record?', { accessGroups: null })], {
      embedder, retriever: new SpyRetriever(), readable: ['public'],
    });
    expect(report.groups.flatMap((g) => g.examples)).toEqual(['Where is the VPN guide?']);
    expect(report.hidden).toBe(2);
  });
});

describe('gap labels', () => {
  it('titles a group by its typical question without the question words', () => {
    expect(suggestTitle('How do I rotate an API token?')).toBe('Rotate an API token');
    expect(suggestTitle('what is the leave policy?')).toBe('The leave policy');
    expect(suggestTitle('Parking at the Leeds office')).toBe('Parking at the Leeds office');
  });

  it('picks the words that set a group apart, not the ones every group shares', () => {
    const [a, b] = distinctiveTerms([['reset my laptop password', 'laptop password expired'], ['reset the printer', 'printer jammed again']], 2);
    expect(a).toEqual(['laptop', 'password']);
    expect(b![0]).toBe('printer');
  });
});
