import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubSource, type GitHubSettings } from '../../src/sources/github.js';
import { syncSource } from '../../src/sources/sync.js';
import { FakeGitHub } from './helpers/github-api.js';
import { CHUNKING, fromYaml, settings, world } from './helpers/sync.js';

describe('GitHub source against a local GitHub API', () => {
  let gh: FakeGitHub;
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    gh = await new FakeGitHub().start();
    w = await world();
    gh.files.set('README.md', '# Handbook\n\nOutside the chosen paths.');
    gh.files.set('docs/guide.md', '---\ntitle: Install guide\n---\n\nRun the installer, then restart the widget service.');
    gh.files.set('docs/faq.mdx', '# FAQ\n\nWidgets come in three colours.');
    gh.files.set('docs/notes.txt', 'Release notes: version 2 adds dark mode.');
    gh.files.set('docs/internal/oncall.md', '# On-call\n\nPage the platform team after 22:00.');
    gh.files.set('docs/logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
  });
  afterEach(async () => {
    await gh.stop();
    await w.cleanup();
  });

  const source = (extra: Partial<GitHubSettings> = {}, maxBytes = 64 * 1024) =>
    githubSource(
      'handbook',
      { repo: 'acme/handbook', branch: 'main', paths: ['docs'], include: [], exclude: [], baseUrl: gh.apiUrl, authHint: 'the token in GH_TOKEN (token_env of source "handbook")', accessGroups: {}, ...extra },
      { chunking: CHUNKING, maxBytes },
    );
  const sync = (s = source(), extra = {}) => syncSource({ source: s, accessGroup: 'staff' }, settings(extra), w.deps());
  const ids = async () => (await w.store.listDocuments()).map((d) => d.docId.replace(`${gh.origin}/acme/handbook/blob/main/`, '')).sort();
  const blob = (path: string) => `${gh.origin}/acme/handbook/blob/main/${path}`;

  it('syncs the chosen paths, links chunks to the blob at the synced commit, then costs two requests when nothing changed', async () => {
    const first = await sync();
    expect(first).toMatchObject({ status: 'ok', summary: { documents: 4, removed: 0 }, stats: { requests: 2 + 4 } });
    expect(await ids()).toEqual(['docs/faq.mdx', 'docs/guide.md', 'docs/internal/oncall.md', 'docs/notes.txt']);
    const [chunk] = w.store.chunksOf(blob('docs/guide.md'));
    expect(chunk).toMatchObject({ title: 'Install guide', accessGroup: 'staff', url: `${gh.origin}/acme/handbook/blob/${gh.head().commitSha}/docs/guide.md` });
    expect(chunk!.text).toContain('restart the widget service');

    gh.requests.length = 0;
    const embedded = w.embedder.embedded.length;
    const again = await sync();
    expect(again).toMatchObject({ status: 'ok', summary: { documents: 0, skipped: 4, removed: 0 } });
    expect(gh.apiCalls()).toEqual(['/repos/acme/handbook/branches/main', expect.stringMatching(/^\/repos\/acme\/handbook\/git\/trees\/[0-9a-f]{40}$/)]);
    expect(w.embedder.embedded.length).toBe(embedded);

    gh.files.set('docs/faq.mdx', '# FAQ\n\nWidgets now come in four colours.');
    gh.files.delete('docs/notes.txt');
    gh.requests.length = 0;
    const third = await sync();
    expect(third).toMatchObject({ status: 'ok', summary: { documents: 1, removed: 1 } });
    expect(gh.apiCalls().filter((c) => c.includes('/git/blobs/'))).toHaveLength(1);
    expect(await ids()).toEqual(['docs/faq.mdx', 'docs/guide.md', 'docs/internal/oncall.md']);
    expect(w.store.chunksOf(blob('docs/faq.mdx'))[0]!.text).toContain('four colours');
  });

  it('reads the default branch when none is set, and maps a folder to its own access group', async () => {
    const report = await sync(source({ branch: undefined, accessGroups: { 'docs/internal': 'oncall' } }));
    expect(report.status).toBe('ok');
    expect(gh.apiCalls().slice(0, 2)).toEqual(['/repos/acme/handbook', '/repos/acme/handbook/branches/main']);
    expect(w.store.chunksOf(blob('docs/internal/oncall.md'))[0]).toMatchObject({ accessGroup: 'oncall' });
    expect(w.store.chunksOf(blob('docs/guide.md'))[0]).toMatchObject({ accessGroup: 'staff' });
  });

  it('sends the token from the config, and a refused one marks the source failed, names token_env and keeps the documents', async () => {
    gh.token = 'right';
    await sync(source({ token: 'right' }));
    expect(await ids()).toHaveLength(4);
    gh.files.delete('docs/faq.mdx');
    const report = await sync(source({ token: 'wrong' }), { full: true });
    expect(report).toMatchObject({ status: 'failed', summary: { removed: 0 } });
    expect(report.error).toMatch(/GitHub answered 401 \(Bad credentials\).*check the token in GH_TOKEN \(token_env of source "handbook"\)/);
    expect(await ids()).toHaveLength(4);
    expect((await w.state.load('handbook')).lastRun).toMatchObject({ status: 'failed' });
  });

  it('403 from a used-up rate limit says when it resets and that a token raises it; documents kept', async () => {
    await sync();
    gh.failNext(/branches/, { status: 403, headers: { 'content-type': 'application/json', ...gh.rateHeaders(0) }, body: JSON.stringify({ message: 'API rate limit exceeded for 127.0.0.1.', documentation_url: 'https://docs.github.com/rest/rate-limit' }) });
    const report = await sync();
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/rate limit is used up until \d{4}-.*a token raises it \(token_env\)/);
    expect(await ids()).toHaveLength(4);
  });

  it('a plain 403 (no access) marks the source failed and names the token setting', async () => {
    gh.failNext(/branches/, { status: 403, headers: { 'content-type': 'application/json', ...gh.rateHeaders() }, body: JSON.stringify({ message: 'Resource not accessible by personal access token' }) });
    const report = await sync();
    expect(report.error).toMatch(/403 .*may not read this repository; check the token in GH_TOKEN/);
  });

  it('waits out a 429 and a secondary-limit 403 with Retry-After, then carries on', async () => {
    gh.failNext(/git\/trees/, { status: 429, headers: { 'retry-after': '1', ...gh.rateHeaders() }, body: '{"message":"Too many requests"}' });
    gh.failNext(/git\/blobs/, { status: 403, headers: { 'retry-after': '1', ...gh.rateHeaders() }, body: '{"message":"You have exceeded a secondary rate limit."}' });
    const started = Date.now();
    const report = await sync();
    expect(report).toMatchObject({ status: 'ok', summary: { documents: 4 }, stats: { requests: 2 + 4 + 2 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('a 500 on the tree deletes nothing; the next run lists again and removes what is gone', async () => {
    await sync();
    gh.files.delete('docs/notes.txt');
    gh.failNext(/git\/trees/, { status: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"Server Error"}' });
    const failed = await sync();
    expect(failed).toMatchObject({ status: 'failed', summary: { removed: 0 } });
    expect(failed.error).toMatch(/500.*nothing was deleted/);
    expect(await ids()).toHaveLength(4);
    const next = await sync();
    expect(next).toMatchObject({ status: 'ok', summary: { removed: 1 } });
    expect(await ids()).not.toContain('docs/notes.txt');
  });

  it('a blob answering 500 fails that file only: its documents stay, the others sync', async () => {
    await sync();
    gh.files.set('docs/guide.md', '# Guide\n\nRewritten.');
    gh.files.set('docs/faq.mdx', '# FAQ\n\nRewritten too.');
    gh.failNext(/git\/blobs/, { status: 500, body: '{"message":"Server Error"}' });
    const report = await sync();
    expect(report.status).toBe('ok');
    expect(report.summary.failed).toEqual([expect.objectContaining({ reason: 'http_error' })]);
    expect(report.summary.documents).toBe(1);
    expect(await ids()).toHaveLength(4);
  });

  it('reports and skips a huge file (without downloading it), a binary one and one that is not UTF-8', async () => {
    gh.files.set('docs/huge.md', `# Huge\n\n${'word '.repeat(20_000)}`);
    gh.files.set('docs/binary.md', new Uint8Array([0x23, 0x20, 0x41, 0x00, 0x01, 0x02]));
    gh.files.set('docs/latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]));
    const report = await sync();
    expect(report.status).toBe('ok');
    expect(report.summary.failed.map((f) => [f.source.replace(blob(''), ''), f.reason]).sort()).toEqual([
      ['docs/binary.md', 'binary'],
      ['docs/huge.md', 'oversized'],
      ['docs/latin1.txt', 'not_utf8'],
    ]);
    expect(gh.apiCalls().filter((c) => c.includes('/git/blobs/'))).toHaveLength(4 + 2);
    expect(await ids()).toHaveLength(4);
  });

  it('is built from a cairn.sources.yaml entry, token read from the env var it names', async () => {
    gh.token = 's3cret';
    const yaml = `- id: handbook\n  type: github\n  repo: acme/handbook\n  branch: main\n  paths: [docs/internal]\n  base_url: ${gh.apiUrl}\n  token_env: GH_TOKEN\n  access_group: eng\n`;
    const report = await syncSource(fromYaml(yaml, { GH_TOKEN: 's3cret' }, w.dir), settings(), w.deps());
    expect(report.status).toBe('ok');
    expect(await ids()).toEqual(['docs/internal/oncall.md']);
    expect(w.store.chunksOf(blob('docs/internal/oncall.md'))[0]).toMatchObject({ accessGroup: 'eng' });
  });
});
