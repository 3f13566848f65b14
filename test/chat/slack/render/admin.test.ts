import { describe, expect, it } from 'vitest';
import { sourcesText, statusText } from '../../../../src/chat/slack/render/admin.js';

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
});
