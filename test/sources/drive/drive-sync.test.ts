import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSources, type DriveAuth, type DriveFolder } from '../../../src/config/sources.js';
import { buildSource } from '../../../src/sources/build.js';
import { driveSource } from '../../../src/sources/drive/drive-source.js';
import { syncSource } from '../../../src/sources/sync.js';
import { makePdf } from '../../ingest/helpers/pdf.js';
import { DriveApi } from '../helpers/drive-api.js';
import { CHUNKING, settings, world } from '../helpers/sync.js';

const HINT = 'the credentials in DRIVE_TOKEN (token_env of source "drive")';
const T1 = '2025-03-01T10:00:00.000Z';

describe('google-drive source against a fake Drive API', () => {
  let api: DriveApi;
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    api = await new DriveApi().start();
    w = await world();
    api.folder('f-eng', 'Engineering');
    api.file({ id: 'd-guide', name: 'Setup guide', mimeType: 'application/vnd.google-apps.document', parent: 'f-eng', modifiedTime: T1, content: '# Setup guide\n\nRun the widget installer on every host.\n' });
    api.file({ id: 'p-spec', name: 'spec.pdf', mimeType: 'application/pdf', parent: 'f-eng', modifiedTime: T1, content: makePdf(['Widget specification: 12 volts, 3 amps.'], { title: 'Widget spec' }) });
    api.file({ id: 'm-notes', name: 'notes.md', mimeType: 'text/markdown', parent: 'f-eng', modifiedTime: T1, content: '# Release notes\n\nVersion 2 adds blue widgets.\n' });
    api.file({ id: 'i-logo', name: 'logo.png', mimeType: 'image/png', parent: 'f-eng', modifiedTime: T1, content: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) });
    api.folder('f-old', 'Archive', 'f-eng');
    api.file({ id: 'm-old', name: 'old.md', mimeType: 'text/markdown', parent: 'f-old', modifiedTime: T1, content: '# Old plan\n\nThe first widget plan.\n' });
    api.folder('f-hr', 'HR');
    api.file({ id: 'd-leave', name: 'Leave policy', mimeType: 'application/vnd.google-apps.document', parent: 'f-hr', modifiedTime: T1, content: 'Employees get 30 days of leave.\n' });
  });
  afterEach(async () => {
    await api.stop();
    await w.cleanup();
  });

  const FOLDERS: DriveFolder[] = [{ id: 'f-eng' }, { id: 'f-hr', accessGroup: 'hr' }];
  const source = (auth: DriveAuth = { kind: 'token', token: 'ya29.test-token' }, maxBytes = 64 * 1024) =>
    driveSource('drive', { baseUrl: api.origin, folders: FOLDERS, auth, include: [], exclude: [], authHint: HINT }, { chunking: CHUNKING, maxBytes });
  const sync = (s = source(), extra = {}) => syncSource({ source: s, accessGroup: 'public' }, settings(extra), w.deps());
  const ids = async () => (await w.store.listDocuments()).map((d) => d.docId).sort();
  const downloads = () => api.calls().filter((c) => c.endsWith('/export') || /files\/[^/]+$/.test(c)).filter((c) => !c.includes('/f-'));

  it('exports Docs, downloads PDFs and Markdown through subfolders, cites webViewLink and maps a folder to its group', async () => {
    const report = await sync();
    expect(report).toMatchObject({ status: 'ok', summary: { documents: 5, removed: 0 } });
    expect(await ids()).toEqual(['gdrive:d-guide', 'gdrive:d-leave', 'gdrive:m-notes', 'gdrive:m-old', 'gdrive:p-spec']);
    expect(report.summary.failed).toEqual([expect.objectContaining({ source: 'https://drive.google.com/file/d/i-logo/view', reason: 'unsupported' })]);
    expect(w.store.chunksOf('gdrive:d-guide')[0]).toMatchObject({ url: 'https://docs.google.com/document/d/d-guide/edit', title: 'Setup guide', accessGroup: 'public' });
    expect(w.store.chunksOf('gdrive:p-spec')[0]).toMatchObject({ url: 'https://drive.google.com/file/d/p-spec/view', title: 'Widget spec' });
    expect(w.store.chunksOf('gdrive:p-spec')[0]!.text).toContain('12 volts');
    expect(w.store.chunksOf('gdrive:m-notes')[0]).toMatchObject({ title: 'Release notes' });
    expect(w.store.chunksOf('gdrive:d-leave')[0]).toMatchObject({ title: 'Leave policy', accessGroup: 'hr' });
    expect(w.store.chunksOf('gdrive:m-old')[0]).toMatchObject({ accessGroup: 'public' });
    expect(api.requests.filter((r) => r.path === '/drive/v3/files').some((r) => r.query.get('pageToken'))).toBe(true);
  });

  it('downloads nothing when nothing changed, then exactly the modified file, and removes the deleted one', async () => {
    await sync();
    const embedded = w.embedder.embedded.length;
    api.requests.length = 0;
    const again = await sync();
    expect(again.summary).toMatchObject({ documents: 0, removed: 0, skipped: 5 });
    expect(downloads()).toEqual([]);
    expect(w.embedder.embedded.length).toBe(embedded);

    api.file({ ...api.files.get('m-notes')!, modifiedTime: '2025-04-01T00:00:00.000Z', content: '# Release notes\n\nVersion 3 adds green widgets.\n' });
    api.files.delete('m-old');
    api.requests.length = 0;
    const third = await sync();
    expect(third.summary).toMatchObject({ documents: 1, removed: 1 });
    expect(downloads()).toEqual(['GET /drive/v3/files/m-notes']);
    expect(await ids()).toEqual(['gdrive:d-guide', 'gdrive:d-leave', 'gdrive:m-notes', 'gdrive:p-spec']);
    expect(w.store.chunksOf('gdrive:m-notes')[0]!.text).toContain('green widgets');
  });

  it('signs in as a service account at the key file token_uri and uses the token it gets', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    api.serviceAccount = { email: 'cairn@example.iam.gserviceaccount.com', publicKey };
    const keyFile = path.join(w.dir, 'key.json');
    const key = { type: 'service_account', client_email: api.serviceAccount.email, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), token_uri: `${api.origin}/token` };
    await writeFile(keyFile, JSON.stringify(key));
    const report = await sync(source({ kind: 'key-file', path: keyFile }));
    expect(report).toMatchObject({ status: 'ok', summary: { documents: 5 } });
    expect(api.calls().filter((c) => c === 'POST /token')).toHaveLength(1);
    expect(api.requests.filter((r) => r.path.startsWith('/drive/')).every((r) => r.headers.authorization === 'Bearer ya29.sa-1')).toBe(true);
  });

  it('is built from its entry in the sources file', async () => {
    const yaml = `- id: drive\n  type: google-drive\n  base_url: "${api.origin}"\n  token_env: DRIVE_TOKEN\n  folders: [f-eng, {id: f-hr, access_group: hr}]\n  exclude: ["Archive/**"]\n`;
    const [entry] = parseSources(yaml, 'cairn.sources.yaml', { DRIVE_TOKEN: 'ya29.test-token' });
    const spec = buildSource(entry!, { ingest: { chunkSize: 400, chunkOverlap: 60, maxFileBytes: 64 * 1024, defaultAccessGroup: 'public', docsDir: 'docs' } }, w.dir);
    const report = await syncSource(spec, settings(), w.deps());
    expect(report).toMatchObject({ status: 'ok', summary: { documents: 4 } });
    expect(await ids()).not.toContain('gdrive:m-old');
    expect(w.store.chunksOf('gdrive:d-leave')[0]).toMatchObject({ accessGroup: 'hr' });
  });

  it('401 marks the source failed, names token_env, and keeps its documents', async () => {
    await sync();
    const report = await sync(source({ kind: 'token', token: 'ya29.expired' }));
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/401 authError.*token_env of source "drive"/);
    expect(await ids()).toHaveLength(5);
    expect((await w.state.load('drive')).lastRun).toMatchObject({ status: 'failed' });
  });

  it('a configured folder that is gone stops the source instead of deleting its files', async () => {
    await sync();
    api.files.delete('f-hr');
    const report = await sync();
    expect(report).toMatchObject({ status: 'failed', summary: { removed: 0 } });
    expect(report.error).toMatch(/no folder f-hr.*fix `folders` of source "drive"/);
    expect(await ids()).toHaveLength(5);
  });

  it('waits out a 403 rateLimitExceeded and a 429, honouring Retry-After, and carries on', async () => {
    let listed = 0;
    let fetched = 0;
    api.fault = (req) => {
      if (req.path === '/drive/v3/files' && listed++ === 0) return api.error(403, 'rateLimitExceeded', 'Rate Limit Exceeded', { 'retry-after': '1' });
      if (req.query.get('alt') === 'media' && fetched++ === 0) return api.error(429, 'rateLimitExceeded', 'Quota exceeded', { 'retry-after': '1' });
      return undefined;
    };
    const started = Date.now();
    const report = await sync();
    expect(report).toMatchObject({ status: 'ok', summary: { documents: 5 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('a 500 in the middle of a listing deletes nothing; the next run resumes at the page token', async () => {
    await sync();
    api.files.delete('m-old');
    api.fault = (req) => (req.path === '/drive/v3/files' && req.query.get('pageToken') ? api.error(500, 'backendError', 'Backend Error') : undefined);
    const failed = await sync();
    expect(failed).toMatchObject({ status: 'failed', summary: { removed: 0 } });
    expect(failed.error).toMatch(/Backend Error.*nothing was deleted/);
    expect(await ids()).toHaveLength(5);

    api.fault = undefined;
    api.requests.length = 0;
    const resumed = await sync();
    expect(resumed).toMatchObject({ status: 'ok', summary: { removed: 1 } });
    const lists = api.requests.filter((r) => r.path === '/drive/v3/files');
    expect(lists[0]!.query.get('pageToken')).toBeTruthy();
    expect(await ids()).toEqual(['gdrive:d-guide', 'gdrive:d-leave', 'gdrive:m-notes', 'gdrive:p-spec']);
  });

  it('reports and skips a huge file, a Doc too large to export, a binary one and one that is not UTF-8', async () => {
    api.folder('f-bad', 'Bad');
    api.file({ id: 'm-huge', name: 'huge.md', mimeType: 'text/markdown', parent: 'f-bad', modifiedTime: T1, content: `# Huge\n\n${'x'.repeat(80 * 1024)}` });
    api.file({ id: 'm-bin', name: 'blob.md', mimeType: 'text/markdown', parent: 'f-bad', modifiedTime: T1, content: new Uint8Array([0x23, 0x20, 0, 0, 1, 2]) });
    api.file({ id: 'm-latin', name: 'latin.md', mimeType: 'text/markdown', parent: 'f-bad', modifiedTime: T1, content: new Uint8Array([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9]) });
    const s = driveSource('drive', { baseUrl: api.origin, folders: [{ id: 'f-bad' }], auth: { kind: 'token', token: 'ya29.test-token' }, include: [], exclude: [], authHint: HINT }, { chunking: CHUNKING, maxBytes: 64 * 1024 });
    api.file({ id: 'd-big', name: 'Big doc', mimeType: 'application/vnd.google-apps.document', parent: 'f-bad', modifiedTime: T1, content: 'too big to export' });
    api.fault = (req) => (req.path === '/drive/v3/files/d-big/export' ? api.error(403, 'exportSizeLimitExceeded', 'This file is too large to be exported.') : undefined);
    const report = await sync(s);
    expect(report.status).toBe('ok');
    expect(report.summary.failed.map((f) => [f.source, f.reason])).toEqual([
      ['https://drive.google.com/file/d/m-huge/view', 'oversized'],
      ['https://drive.google.com/file/d/m-bin/view', 'binary'],
      ['https://drive.google.com/file/d/m-latin/view', 'not_utf8'],
      ['https://docs.google.com/document/d/d-big/edit', 'oversized'],
    ]);
    expect(api.calls()).not.toContain('GET /drive/v3/files/m-huge');
    expect(await ids()).toEqual([]);
  });
});

describe('google-drive entries of the sources file', () => {
  const parse = (yaml: string, env: Record<string, string> = {}) => parseSources(yaml, 'cairn.sources.yaml', env);

  it('reads folders with their groups and the credentials from the env var named', () => {
    const [s] = parse('- id: drive\n  type: google-drive\n  folders: [f-eng, {id: f-hr, access_group: hr}]\n  key_file_env: DRIVE_KEY\n', { DRIVE_KEY: '/etc/cairn/key.json' });
    expect(s).toMatchObject({ type: 'google-drive', folders: [{ id: 'f-eng' }, { id: 'f-hr', accessGroup: 'hr' }], auth: { kind: 'key-file', path: '/etc/cairn/key.json' }, baseUrl: 'https://www.googleapis.com/' });
    expect(() => parse('- {id: drive, type: google-drive, folders: [a]}\n')).toThrow(/source "drive".*token_env: set exactly one of token_env/);
    expect(() => parse('- {id: drive, type: google-drive, folders: [a], token_env: DRIVE_TOKEN}\n')).toThrow(/DRIVE_TOKEN is not set/);
  });

  it('refuses credentials written in the file', () => {
    expect(() => parse('- {id: drive, type: google-drive, folders: [a], access_token: "ya29.a0AfH6SM"}\n')).toThrow(/source "drive" \(entry 1\): access_token holds a secret/);
    expect(() => parse('- {id: drive, type: google-drive, folders: [a], private_key: "-----BEGIN PRIVATE KEY-----"}\n')).toThrow(/private_key holds a secret/);
  });
});
