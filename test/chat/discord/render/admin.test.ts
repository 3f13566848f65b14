import { describe, expect, it } from 'vitest';
import { gatewayText, sourcesMessages, statusMessages } from '../../../../src/chat/discord/render/admin.js';

describe('Discord admin listings', () => {
  it('lists sources in Discord Markdown, split under the message limit', () => {
    const sources = Array.from({ length: 40 }, (_, i) => ({ source: `docs/${'x'.repeat(60)}/${i}.md`, title: `Doc ${i}`, chunks: 2, indexedAt: '2025-01-02T03:04:05Z' }));
    const messages = sourcesMessages({ sources: [], documents: sources });
    expect(messages[0]).toMatch(/^\*\*40 documents indexed\*\*\n• Doc 0 — `docs\/x+\/0\.md` \(2 chunks, indexed 2025-01-02 03:04\)\n/);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(2000);
    expect(sourcesMessages({ sources: [], documents: [] })).toEqual(['Nothing is indexed yet that can be cited here. An admin can run /cairn-reindex.']);
  });

  it('puts a line per source first: last good sync, counts, the last run, and its error or that it is withheld', () => {
    const [text] = sourcesMessages({
      sources: [
        { id: 'site', type: 'web', items: 12, documents: 11, lastSuccess: '2025-01-02T03:04:05Z', lastRun: { status: 'failed', at: '2025-01-03T00:00:00Z', changed: 0, removed: 0 }, error: 'https://x/sitemap.xml could not be read' },
        { id: 'hr', type: 'folder', items: 2, documents: 2, lastRun: { status: 'failed', at: '2025-01-03T00:00:00Z', changed: 0, removed: 0 }, errorWithheld: true },
      ],
      documents: [],
    });
    expect(text).toBe([
      '**Sources**',
      '• `site` (web) · last good sync 2025-01-02 03:04 UTC · 12 items, 11 documents · last run 2025-01-03 00:00 FAILED: 0 changed, 0 deleted · last error: https://x/sitemap.xml could not be read',
      '• `hr` (folder) · never synced well yet · 2 items, 2 documents · last run 2025-01-03 00:00 FAILED: 0 changed, 0 deleted · last error: shown only where every group of this source may be read',
      'Nothing is indexed yet that can be cited here. An admin can run /cairn-reindex.',
    ].join('\n'));
  });

  it('shows the status with **bold** labels', () => {
    const [text] = statusMessages({ documents: 3, chunks: 10, embedder: 'use', store: 'embedded', model: 'm', reranker: 'none', uptimeSeconds: 120, recentErrors: [] });
    expect(text).toBe('**Index:** 3 documents, 10 chunks\n**Embedder:** use\n**Store:** embedded\n**Model:** m\n**Reranker:** none\n**Uptime:** 2 min\n**Recent errors:** none');
  });

  it('adds which gateway shards the answering replica holds, and whether it took them over', () => {
    const report = { documents: 3, chunks: 10, embedder: 'use', store: 'embedded', model: 'm', reranker: 'none', uptimeSeconds: 120, recentErrors: [] };
    const [text] = statusMessages(report, { shardCount: 2, held: [{ shard: 1, since: new Date('2026-01-02T03:04:05Z'), takenOver: true }] });
    expect(text).toMatch(/\*\*Recent errors:\*\* none\n\*\*Discord gateway:\*\* this replica holds shard 1 \(since 03:04:05 UTC, taken over\) of 2$/);
    expect(gatewayText({ shardCount: 1, held: [] })).toBe('this replica holds none of the 1 shard (other replicas hold them)');
    expect(gatewayText({ shardCount: 2, held: [{ shard: 0, since: new Date('2026-01-02T03:04:05Z'), takenOver: false }, { shard: 1, since: new Date('2026-01-02T03:04:06Z'), takenOver: false }] }))
      .toBe('this replica holds shards 0 (since 03:04:05 UTC), 1 (since 03:04:06 UTC) of 2');
  });
});
