import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confluenceSource, type ConfluenceSettings } from '../../../src/sources/confluence/source.js';
import { syncSource } from '../../../src/sources/sync.js';
import { FakeConfluence } from '../helpers/confluence-api.js';
import { CHUNKING, fromYaml, settings, world } from '../helpers/sync.js';

const SETUP = `<h1>Setup</h1><p>Install the agent first.</p>
<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body><![CDATA[curl -fsSL https://get.example | sh && agent --port 8080]]></ac:plain-text-body></ac:structured-macro>
<h2>Ports</h2><table><tbody><tr><th>Service</th><th>Port</th></tr><tr><td>api</td><td>8080</td></tr></tbody></table>`;

describe('Confluence source against a local Confluence REST API v2', () => {
  let cf: FakeConfluence;
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    cf = await new FakeConfluence().start();
    w = await world();
    cf.putPage('1', 'ENG', 'Agent setup', SETUP);
    cf.putPage('2', 'ENG', 'Deploys', '<p>Deploys happen on Tuesdays after the freeze.</p>');
    cf.putPage('3', 'ENG', 'Incidents', '<p>Open an incident in the tracker and page on-call.</p>');
    cf.putPage('7', 'HR', 'Leave policy', '<p>Employees get 30 days of paid leave.</p>');
  });
  afterEach(async () => {
    await cf.stop();
    await w.cleanup();
  });

  const source = (extra: Partial<ConfluenceSettings> = {}, maxBytes = 64 * 1024) =>
    confluenceSource(
      'wiki',
      { baseUrl: cf.origin, spaces: ['ENG', 'HR'], include: [], exclude: [], headers: {}, authHint: 'the credentials in CONF_EMAIL and CONF_TOKEN (email_env and token_env of source "wiki")', accessGroups: {}, ...extra },
      { chunking: CHUNKING, maxBytes },
    );
  const sync = (s = source(), extra = {}) => syncSource({ source: s, accessGroup: 'staff' }, settings(extra), w.deps());
  const id = (space: string, page: string) => `${cf.base}/spaces/${space}/pages/${page}`;
  const ids = async () => (await w.store.listDocuments()).map((d) => d.docId.replace(`${cf.base}/spaces/`, '')).sort();
  const listings = () => cf.apiCalls().filter((c) => /\/pages\?/.test(c) && c.includes('/spaces/'));
  const pageFetches = () => cf.apiCalls().filter((c) => c.startsWith('/wiki/api/v2/pages/'));

  it('follows cursors through every space, keeps headings, code and tables, then costs only the listing when nothing changed', async () => {
    const first = await sync(source({ accessGroups: { HR: 'hr' } }));
    expect(first).toMatchObject({ status: 'ok', summary: { documents: 4, removed: 0 } });
    expect(await ids()).toEqual(['ENG/pages/1', 'ENG/pages/2', 'ENG/pages/3', 'HR/pages/7']);
    expect(listings()).toHaveLength(3);
    expect(listings()[1]).toMatch(/cursor=/);
    const chunks = w.store.chunksOf(id('ENG', '1'));
    expect(chunks[0]).toMatchObject({ title: 'Agent setup', accessGroup: 'staff', url: `${cf.base}/spaces/ENG/pages/1/Agent+setup` });
    const text = chunks.map((c) => c.text).join('\n');
    expect(text).toContain('```bash\ncurl -fsSL https://get.example | sh && agent --port 8080\n```');
    expect(text).toContain('| Service | Port |\n| --- | --- |\n| api | 8080 |');
    expect(chunks.some((c) => c.headingPath.includes('Ports'))).toBe(true);
    expect(w.store.chunksOf(id('HR', '7'))[0]).toMatchObject({ accessGroup: 'hr' });

    cf.requests.length = 0;
    const embedded = w.embedder.embedded.length;
    const again = await sync(source({ accessGroups: { HR: 'hr' } }));
    expect(again).toMatchObject({ status: 'ok', summary: { documents: 0, skipped: 4 }, stats: { requests: 1 + 3 } });
    expect(pageFetches()).toEqual([]);
    expect(w.embedder.embedded.length).toBe(embedded);

    cf.putPage('2', 'ENG', 'Deploys', '<p>Deploys now happen on Wednesdays.</p>');
    cf.pages.delete('3');
    cf.requests.length = 0;
    const third = await sync();
    expect(third).toMatchObject({ status: 'ok', summary: { documents: 1, removed: 1 } });
    expect(pageFetches()).toEqual(['/wiki/api/v2/pages/2?body-format=storage']);
    expect(await ids()).toEqual(['ENG/pages/1', 'ENG/pages/2', 'HR/pages/7']);
  });

  it('401 marks the source failed, names the credential settings, and keeps the documents', async () => {
    await sync();
    cf.authorization = 'Basic expected';
    cf.pages.delete('2');
    const report = await sync(source(), { full: true });
    expect(report).toMatchObject({ status: 'failed', summary: { removed: 0 } });
    expect(report.error).toMatch(/Confluence answered 401 \(Unauthorized\).*check the credentials in CONF_EMAIL and CONF_TOKEN/);
    expect(await ids()).toHaveLength(4);
  });

  it('403 on a page fetch stops the source the same way', async () => {
    await sync();
    cf.putPage('1', 'ENG', 'Agent setup', '<p>Changed.</p>');
    cf.failNext(/\/pages\/1\?/, cf.error(403, 'FORBIDDEN', 'Forbidden'));
    const report = await sync();
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/403 \(Forbidden\).*CONF_TOKEN/);
    expect(await ids()).toHaveLength(4);
  });

  it('sends the Authorization header it is given, and names `spaces` when a space is not there', async () => {
    cf.authorization = 'Bearer pat';
    expect((await sync(source({ headers: { authorization: 'Bearer pat' }, spaces: ['ENG'] }))).status).toBe('ok');
    const report = await sync(source({ headers: { authorization: 'Bearer pat' }, spaces: ['ENG', 'OPS'] }));
    expect(report.error).toMatch(/no space "OPS".*check `spaces` of source "wiki"/);
  });

  it('waits out a 429 with Retry-After and carries on', async () => {
    cf.failNext(/\/spaces\/101\/pages/, { status: 429, headers: { 'retry-after': '1', 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0' }, body: '' });
    const started = Date.now();
    const report = await sync();
    expect(report).toMatchObject({ status: 'ok', summary: { documents: 4 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a 500 in the middle of the listing deletes nothing; the next run resumes at the cursor', async () => {
    await sync();
    cf.pages.delete('7');
    cf.failNext(/\/spaces\/101\/pages.*cursor=/, cf.error(500, 'INTERNAL_SERVER_ERROR', 'Internal Server Error'));
    const failed = await sync();
    expect(failed).toMatchObject({ status: 'failed', summary: { removed: 0 } });
    expect(failed.error).toMatch(/HTTP 500.*nothing was deleted/);
    expect(await ids()).toHaveLength(4);

    cf.requests.length = 0;
    const resumed = await sync();
    expect(resumed).toMatchObject({ status: 'ok', summary: { removed: 1 } });
    expect(listings()[0]).toMatch(/\/spaces\/101\/pages.*cursor=/);
    expect(await ids()).toEqual(['ENG/pages/1', 'ENG/pages/2', 'ENG/pages/3']);
  });

  it('reports and skips a huge page, a binary one and one that is not UTF-8', async () => {
    cf.putPage('4', 'ENG', 'Huge', `<p>${'word '.repeat(20_000)}</p>`);
    cf.putPage('5', 'ENG', 'Binary', '<p>GIF89a\u0000\u0001</p>');
    cf.putPage('6', 'ENG', 'Latin-1', '<p>placeholder</p>');
    const latin1 = Buffer.concat([Buffer.from('{"id":"6","title":"Caf'), Buffer.from([0xe9]), Buffer.from('","body":{"storage":{"value":"<p>x</p>"}}}')]);
    cf.routes.set('/wiki/api/v2/pages/6?body-format=storage', { headers: { 'content-type': 'application/json' }, body: latin1 });
    const report = await sync();
    expect(report.status).toBe('ok');
    expect(report.summary.failed.map((f) => [f.source.replace(`${cf.base}/spaces/`, ''), f.reason])).toEqual([
      ['ENG/pages/4', 'oversized'],
      ['ENG/pages/5', 'binary'],
      ['ENG/pages/6', 'not_utf8'],
    ]);
    expect(await ids()).toHaveLength(4);
  });

  it('is built from a cairn.sources.yaml entry: email and token from env vars as Basic auth', async () => {
    cf.authorization = `Basic ${Buffer.from('me@acme.example:t0k').toString('base64')}`;
    const yaml = `- id: wiki\n  type: confluence\n  base_url: ${cf.origin}/wiki\n  spaces: [HR]\n  email_env: CONF_EMAIL\n  token_env: CONF_TOKEN\n  access_group: people\n`;
    const report = await syncSource(fromYaml(yaml, { CONF_EMAIL: 'me@acme.example', CONF_TOKEN: 't0k' }, w.dir), settings(), w.deps());
    expect(report.status).toBe('ok');
    expect(await ids()).toEqual(['HR/pages/7']);
    expect(w.store.chunksOf(id('HR', '7'))[0]).toMatchObject({ accessGroup: 'people' });
  });
});
