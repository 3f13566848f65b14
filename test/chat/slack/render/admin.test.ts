import { describe, expect, it } from 'vitest';
import { gapsSummaryMessages, gapsText, sourcesText, statusText } from '../../../../src/chat/slack/render/admin.js';

const report = {
  documents: 3, chunks: 12, embedder: 'use', store: 'embedded', model: 'fake', reranker: 'none', uptimeSeconds: 5400,
  recentErrors: [{ at: '2025-01-02T03:04:05.000Z', code: 'LLM_UNAVAILABLE', requestId: '0f8fad5b-d9cb', platform: 'slack', channelId: 'C1' }],
};

describe('Slack admin listings', () => {
  it('lists the sources, then documents in mrkdwn, at most 40, then how many more', () => {
    const sources = Array.from({ length: 42 }, (_, i) => ({ source: `docs/${i}.md`, title: `Doc ${i}`, chunks: 2, indexedAt: '2025-01-02T03:04:05Z' }));
    const text = sourcesText({ sources: [{ id: 'docs', type: 'folder', items: 42, documents: 42, lastSuccess: '2025-01-02T03:04:05Z', lastRun: { status: 'ok', at: '2025-01-02T03:04:05Z', changed: 2, removed: 1 } }], documents: sources });
    expect(text).toMatch(/^\*Sources\*\n• `docs` \(folder\) · last good sync 2025-01-02 03:04 UTC · 42 items, 42 documents · last run 2025-01-02 03:04 ok: 2 changed, 1 deleted\n\*42 documents indexed\*\n• Doc 0 — `docs\/0\.md` \(2 chunks, indexed 2025-01-02 03:04\)\n/);
    expect(text.endsWith('\n…and 2 more.')).toBe(true);
    expect(sourcesText({ sources: [], documents: [] })).toBe('Nothing is indexed yet that can be cited here. An admin can run /cairn-reindex.');
  });

  it('shows the status as bold-labelled mrkdwn lines', () => {
    expect(statusText(report)).toBe([
      '*Index:* 3 documents, 12 chunks', '*Embedder:* use', '*Store:* embedded', '*Model:* fake', '*Reranker:* none', '*Uptime:* 1.5 h',
      '*Recent errors:* 2025-01-02 03:04:05 LLM_UNAVAILABLE (ref 0f8fad5b)',
    ].join('\n'));
  });

  it('the weekly gaps summary: titled, with pointers to the longer views, split under a section’s length, a mention in a question defused; one line for a quiet week', () => {
    const topic = (i: number) => ({ size: 3, suggestedTitle: `Rotate token ${i}`, examples: [`How do I rotate token ${i}? ${'really '.repeat(150)}`, `<!here> token ${i}?`], closest: ['VPN guide'] });
    const report = { days: 7, questions: 15, topics: [1, 2, 3, 4, 5].map(topic) };
    const parts = gapsSummaryMessages(report);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(3000);
    const all = parts.join('\n');
    expect(all.startsWith('*Weekly coverage gaps* (last 7 days, 15 weak answers; the 5 largest topics):\n1. *Rotate token 1* (3 questions)')).toBe(true);
    expect(all).toContain('&lt;!here&gt; token 5?');
    expect(all).not.toContain('<!here>');
    expect(all.endsWith('/cairn-gaps shows the last 30 days; `cairn report gaps` the full report.')).toBe(true);
    expect(gapsSummaryMessages({ days: 7, questions: 0, topics: [] })).toEqual(['*Weekly coverage gaps*: no gaps this week. No declined, unsupported or 👎 answers in the last 7 days that this channel may see.']);
    // /cairn-gaps itself is unchanged: its own period, no title line for an empty listing, no pointer.
    expect(gapsText({ days: 30, questions: 0, topics: [] })).toBe('No declined, unsupported or 👎 answers in the last 30 days that this conversation may see.');
    expect(gapsText({ ...report, days: 30 })).not.toContain('/cairn-gaps shows');
  });
});
