import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSources } from '../../../src/config/sources.js';
import { buildSource } from '../../../src/sources/build.js';
import { notionSource } from '../../../src/sources/notion/notion-source.js';
import { syncSource } from '../../../src/sources/sync.js';
import { NotionApi, tableBlock } from '../helpers/notion-api.js';
import { CHUNKING, settings, world } from '../helpers/sync.js';

const HINT = 'the integration token in NOTION_TOKEN (token_env of source "wiki")';

describe('notion source against a fake Notion API', () => {
  let api: NotionApi;
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    api = await new NotionApi().start();
    w = await world();
    api.page({
      id: 'p-setup',
      title: 'Setup guide',
      lastEdited: '2025-03-01T10:00:00.000Z',
      blocks: [
        { type: 'heading_1', text: 'Installing' },
        { type: 'paragraph', text: 'Run the installer on every widget host.' },
        { type: 'bulleted_list_item', text: 'Linux', children: [{ type: 'bulleted_list_item', text: 'Debian needs the extra repository' }] },
        { type: 'numbered_list_item', text: 'Download' },
        { type: 'numbered_list_item', text: 'Verify' },
        { type: 'code', text: 'widgetctl install --all', language: 'bash' },
        tableBlock([['Port', 'Use'], ['8080', 'admin console']]),
        { type: 'toggle', text: 'Troubleshooting', children: [{ type: 'paragraph', text: 'Restart the widget daemon when it hangs.' }] },
      ],
    });
    api.page({ id: 'p-faq', title: 'FAQ', lastEdited: '2025-03-01T10:00:00.000Z', blocks: [{ type: 'paragraph', text: 'Widgets come in three colours.' }] });
    api.page({ id: 'p-team', title: 'Team', lastEdited: '2025-03-01T10:00:00.000Z', blocks: [{ type: 'paragraph', text: 'The widget team meets on Mondays.' }] });
    api.dataSources.set('ds-runbooks', 'Runbooks');
    api.page({ id: 'p-runbook', title: 'Disk full runbook', lastEdited: '2025-03-01T10:00:00.000Z', dataSource: 'ds-runbooks', blocks: [{ type: 'paragraph', text: 'Delete old widget logs first.' }] });
  });
  afterEach(async () => {
    await api.stop();
    await w.cleanup();
  });

  const source = (token = api.token, maxBytes = 64 * 1024) =>
    notionSource('wiki', { baseUrl: api.origin, token, authHint: HINT }, { chunking: CHUNKING, maxBytes, retry: { initialRetryDelayMs: 10 } });
  const sync = (s = source(), extra = {}) => syncSource({ source: s, accessGroup: 'eng' }, settings(extra), w.deps());
  const ids = async () => (await w.store.listDocuments()).map((d) => d.docId).sort();
  const blockCalls = () => api.calls().filter((c) => c.startsWith('GET /v1/blocks/'));

  it('lists shared pages and database rows over several search pages, and turns blocks into Markdown cited by page URL', async () => {
    const report = await sync();
    expect(report).toMatchObject({ status: 'ok', summary: { documents: 4, removed: 0 } });
    expect(await ids()).toEqual(['notion:p-faq', 'notion:p-runbook', 'notion:p-setup', 'notion:p-team']);
    expect(api.calls().filter((c) => c === 'POST /v1/search')).toHaveLength(2);
    expect(api.requests.find((r) => r.path === '/v1/search' && (r.body as { start_cursor?: string }).start_cursor)).toBeDefined();
    const chunks = w.store.chunksOf('notion:p-setup');
    expect(chunks[0]).toMatchObject({ url: 'https://www.notion.so/Setup-guide-psetup', title: 'Setup guide', accessGroup: 'eng' });
    const text = chunks.map((c) => c.text).join('\n');
    expect(chunks.flatMap((c) => c.headingPath)).toContain('Installing');
    expect(text).toContain('- Linux\n\n  - Debian needs the extra repository');
    expect(text).toContain('1. Download\n\n2. Verify');
    expect(text).toContain('```bash\nwidgetctl install --all\n```');
    expect(text).toContain('| Port | Use |\n| --- | --- |\n| 8080 | admin console |');
    expect(text).toContain('- Troubleshooting\n\n  Restart the widget daemon when it hangs.');
    expect(w.store.chunksOf('notion:p-runbook')[0]).toMatchObject({ title: 'Disk full runbook' });
  });

  it('re-fetches nothing when nothing changed, then exactly the edited page, and removes the deleted one', async () => {
    await sync();
    const embedded = w.embedder.embedded.length;
    api.requests.length = 0;
    const again = await sync();
    expect(again.summary).toMatchObject({ documents: 0, removed: 0, skipped: 4 });
    expect(blockCalls()).toEqual([]);
    expect(w.embedder.embedded.length).toBe(embedded);

    api.page({ id: 'p-faq', title: 'FAQ', lastEdited: '2025-04-01T09:00:00.000Z', blocks: [{ type: 'paragraph', text: 'Widgets now come in four colours.' }] });
    api.pages.delete('p-team');
    api.requests.length = 0;
    const third = await sync();
    expect(third.summary).toMatchObject({ documents: 1, removed: 1 });
    expect(blockCalls()).toEqual(['GET /v1/blocks/p-faq/children']);
    expect(await ids()).toEqual(['notion:p-faq', 'notion:p-runbook', 'notion:p-setup']);
    expect(w.store.chunksOf('notion:p-faq')[0]!.text).toContain('four colours');
  });

  it('401 marks the source failed, names token_env, and keeps its documents', async () => {
    await sync();
    const report = await sync(source('ntn_revoked'));
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/401 unauthorized.*token_env of source "wiki"/);
    expect(await ids()).toHaveLength(4);
    expect((await w.state.load('wiki')).lastRun).toMatchObject({ status: 'failed' });
  });

  it('403 while reading a page stops the sync the same way: nothing is deleted', async () => {
    await sync();
    api.pages.delete('p-team');
    api.page({ ...api.pages.get('p-faq')!, lastEdited: '2025-05-01T00:00:00.000Z' });
    api.fault = (req) => (req.path.startsWith('/v1/blocks/') ? api.error(403, 'restricted_resource', 'Insufficient permissions for this endpoint.') : undefined);
    const report = await sync();
    expect(report).toMatchObject({ status: 'failed', summary: { removed: 0 } });
    expect(report.error).toMatch(/403 restricted_resource.*NOTION_TOKEN/);
    expect(await ids()).toHaveLength(4);
  });

  it('waits out a 429 with Retry-After and carries on', async () => {
    let limited = 0;
    api.fault = (req) => (req.path === '/v1/search' && limited++ === 0 ? api.error(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', { 'retry-after': '1' }) : undefined);
    const started = Date.now();
    const report = await sync();
    expect(report).toMatchObject({ status: 'ok', summary: { documents: 4 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(api.calls().filter((c) => c === 'POST /v1/search')).toHaveLength(3);
  });

  it('a 500 in the middle of the listing deletes nothing; the next run resumes at the cursor', async () => {
    await sync();
    api.pages.delete('p-team');
    api.fault = (req) => ((req.body as { start_cursor?: string } | undefined)?.start_cursor ? api.error(500, 'internal_server_error', 'Unexpected error occurred.') : undefined);
    const failed = await sync();
    expect(failed).toMatchObject({ status: 'failed', summary: { removed: 0 } });
    expect(failed.error).toMatch(/HTTP 500 internal_server_error.*nothing was deleted/);
    expect(await ids()).toHaveLength(4);

    api.fault = undefined;
    api.requests.length = 0;
    const resumed = await sync();
    expect(resumed).toMatchObject({ status: 'ok', summary: { removed: 1 } });
    const searches = api.requests.filter((r) => r.path === '/v1/search');
    expect(searches).toHaveLength(1);
    expect((searches[0]!.body as { start_cursor?: string }).start_cursor).toBeDefined();
    expect(await ids()).toEqual(['notion:p-faq', 'notion:p-runbook', 'notion:p-setup']);
  });

  it('an incomplete search (Notion hit its result limit) deletes nothing', async () => {
    await sync();
    api.pages.delete('p-team');
    api.incomplete = true;
    const report = await sync();
    expect(report).toMatchObject({ status: 'failed', summary: { removed: 0 } });
    expect(report.error).toMatch(/incomplete \(query_result_limit_reached\)/);
    expect(await ids()).toHaveLength(4);
  });

  it('is built from its entry in the sources file', async () => {
    const [entry] = parseSources(`- {id: wiki, type: notion, token_env: NOTION_TOKEN, base_url: "${api.origin}", access_group: eng}\n`, 'cairn.sources.yaml', { NOTION_TOKEN: api.token });
    const spec = buildSource(entry!, { ingest: { chunkSize: 400, chunkOverlap: 60, maxFileBytes: 64 * 1024, defaultAccessGroup: 'public', docsDir: 'docs' } }, w.dir);
    const report = await syncSource(spec, settings(), w.deps());
    expect(report).toMatchObject({ status: 'ok', summary: { documents: 4 } });
    expect(w.store.chunksOf('notion:p-faq')[0]).toMatchObject({ accessGroup: 'eng' });
  });

  it('reports and skips a huge page and one holding binary data', async () => {
    api.page({ id: 'p-huge', title: 'Log dump', lastEdited: '2025-03-01T10:00:00.000Z', blocks: Array.from({ length: 40 }, () => ({ type: 'paragraph', text: 'x'.repeat(2000) })) });
    api.page({ id: 'p-binary', title: 'Pasted binary', lastEdited: '2025-03-01T10:00:00.000Z', blocks: [{ type: 'paragraph', text: 'PK\u0003\u0004\u0000\u0000garbage' }] });
    const report = await sync();
    expect(report.status).toBe('ok');
    expect(report.summary.failed.map((f) => [f.source.replace(/.*-/, ''), f.reason])).toEqual([
      ['phuge', 'oversized'],
      ['pbinary', 'binary'],
    ]);
    expect(await ids()).toHaveLength(4);
  });
});

describe('notion entries of the sources file', () => {
  const parse = (yaml: string, env: Record<string, string> = {}) => parseSources(yaml, 'cairn.sources.yaml', env);

  it('reads the token from the env var token_env names', () => {
    const [s] = parse('- {id: wiki, type: notion, token_env: NOTION_TOKEN, access_group: eng}\n', { NOTION_TOKEN: 'ntn_abc' });
    expect(s).toMatchObject({ id: 'wiki', type: 'notion', token: 'ntn_abc', baseUrl: 'https://api.notion.com', accessGroup: 'eng' });
    expect(() => parse('- {id: wiki, type: notion, token_env: NOTION_TOKEN}\n')).toThrow(/source "wiki".*token_env: the environment variable NOTION_TOKEN is not set/);
  });

  it('refuses a token written in the file', () => {
    expect(() => parse('- {id: wiki, type: notion, token: abc123}\n')).toThrow(/source "wiki" \(entry 1\): token holds a secret/);
    expect(() => parse('- {id: wiki, type: notion, token_env: ntn_4411abcdef}\n')).toThrow(/source "wiki".*holds a secret/);
  });
});
