import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

describe('cairn.sources.yaml', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cairn-sources-config-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const load = async (yaml: string, env: Record<string, string> = {}) => {
    await writeFile(path.join(dir, 'cairn.sources.yaml'), yaml);
    return loadConfig(env, dir);
  };

  it('without the file, DOCS_DIR is the one folder source', () => {
    expect(loadConfig({ DOCS_DIR: 'handbook' }, dir).sources).toEqual([{ id: 'docs', type: 'folder', path: 'handbook', include: [], exclude: [], groups: [] }]);
  });

  it('reads the three-line example of the README', async () => {
    const { sources } = await load('- id: docs-site\n  type: web\n  url: https://docs.example.com/\n');
    expect(sources).toEqual([expect.objectContaining({ id: 'docs-site', type: 'web', url: 'https://docs.example.com/', mode: 'auto', headers: {} })]);
  });

  it('names the source and the field that is wrong', async () => {
    await expect(load('sources:\n  - id: site\n    type: web\n    url: https://x.example/\n    max_pages: -3\n')).rejects.toThrow(/source "site" \(entry 1\): max_pages: /);
    await expect(load('- id: kb\n  type: folder\n')).rejects.toThrow(/source "kb" \(entry 1\): path: /);
    await expect(load('- id: kb\n  type: ftp\n  path: x\n')).rejects.toThrow(/source "kb" \(entry 1\): type: expected type: folder, web, github, confluence, notion or google-drive/);
    await expect(load('- id: kb\n  type: folder\n  path: x\n  groups: {"hr/**": "h r"}\n')).rejects.toThrow(/source "kb" \(entry 1\): groups\.hr\/\*\*: expected a group name/);
  });

  it('keeps the groups: mapping in the order of the file', async () => {
    const [kb] = (await load('- id: kb\n  type: folder\n  path: x\n  groups:\n    "hr/payroll/**": payroll\n    "hr/**": hr\n')).sources;
    expect(kb!.groups).toEqual([{ pattern: 'hr/payroll/**', group: 'payroll' }, { pattern: 'hr/**', group: 'hr' }]);
  });

  it('refuses a secret written in the file instead of an env var name', async () => {
    await expect(load('- id: site\n  type: web\n  url: https://x.example/\n  auth_header: Bearer abc123\n')).rejects.toThrow(/source "site" \(entry 1\): auth_header holds a secret.*environment variable/);
    await expect(load('- id: site\n  type: web\n  url: https://x.example/\n  auth_header_env: "Bearer abc123"\n')).rejects.toThrow(/source "site".*secret/);
  });

  it('reads a secret from the env var the file names, and says when it is unset', async () => {
    const yaml = '- id: site\n  type: web\n  url: https://x.example/\n  auth_header_env: SITE_AUTH\n';
    const { sources } = await load(yaml, { SITE_AUTH: 'Bearer t0k' });
    expect(sources[0]).toMatchObject({ headers: { authorization: 'Bearer t0k' } });
    await expect(load(yaml)).rejects.toThrow(/source "site" \(entry 1\): auth_header_env: the environment variable SITE_AUTH is not set/);
  });

  it('reads GitHub and Confluence entries, with their secrets from the env vars they name', async () => {
    const yaml = [
      '- {id: handbook, type: github, repo: acme/handbook, paths: [docs], token_env: GH_TOKEN, access_groups: {docs/internal: eng}}',
      '- {id: ghe, type: github, repo: acme/ops, branch: main, base_url: "https://ghe.acme.example/api/v3"}',
      '- {id: wiki, type: confluence, base_url: "https://acme.atlassian.net", spaces: [ENG, HR], email_env: CONF_EMAIL, token_env: CONF_TOKEN, access_groups: {HR: hr}}',
      '- {id: dc, type: confluence, base_url: "https://wiki.acme.example", spaces: [OPS], token_env: DC_PAT}',
    ].join('\n');
    const { sources } = await load(yaml, { GH_TOKEN: 'ghp_abc', CONF_EMAIL: 'me@acme.example', CONF_TOKEN: 't0k', DC_PAT: 'pat' });
    expect(sources[0]).toMatchObject({ type: 'github', repo: 'acme/handbook', paths: ['docs'], baseUrl: 'https://api.github.com', token: 'ghp_abc', accessGroups: { 'docs/internal': 'eng' }, authHint: expect.stringContaining('GH_TOKEN') });
    expect(sources[1]).toMatchObject({ type: 'github', branch: 'main', baseUrl: 'https://ghe.acme.example/api/v3' });
    expect(sources[1]).not.toHaveProperty('token');
    expect(sources[2]).toMatchObject({ type: 'confluence', spaces: ['ENG', 'HR'], headers: { authorization: `Basic ${Buffer.from('me@acme.example:t0k').toString('base64')}` }, accessGroups: { HR: 'hr' } });
    expect(sources[3]).toMatchObject({ headers: { authorization: 'Bearer pat' } });
  });

  it('refuses GitHub and Confluence secrets written in the file, and names unset or incomplete credentials', async () => {
    await expect(load('- {id: gh, type: github, repo: a/b, token: ghp_abcdef}\n')).rejects.toThrow(/source "gh" \(entry 1\): token holds a secret/);
    await expect(load('- {id: gh, type: github, repo: a/b, token_env: ghp_abcdef}\n')).rejects.toThrow(/source "gh".*secret/);
    await expect(load('- {id: wiki, type: confluence, base_url: "https://x.example", spaces: [A], api_token: abc}\n')).rejects.toThrow(/source "wiki" \(entry 1\): api_token holds a secret/);
    await expect(load('- {id: wiki, type: confluence, base_url: "https://x.example", spaces: [A], email_env: "me@x.example"}\n')).rejects.toThrow(/source "wiki" \(entry 1\): email_env: expected the name of an environment variable/);
    await expect(load('- {id: wiki, type: confluence, base_url: "https://x.example", spaces: [A], email_env: CONF_EMAIL}\n', { CONF_EMAIL: 'me@x.example' })).rejects.toThrow(/email_env needs token_env/);
    await expect(load('- {id: gh, type: github, repo: a/b, token_env: GH_TOKEN}\n')).rejects.toThrow(/source "gh" \(entry 1\): token_env: the environment variable GH_TOKEN is not set/);
    await expect(load('- {id: gh, type: github, repo: nope}\n')).rejects.toThrow(/source "gh" \(entry 1\): repo: expected owner\/name/);
    await expect(load('- {id: wiki, type: confluence, base_url: "https://x.example", spaces: []}\n')).rejects.toThrow(/source "wiki" \(entry 1\): spaces: /);
  });

  it('refuses a SOURCES_FILE that does not exist', () => {
    expect(() => loadConfig({ SOURCES_FILE: 'nope.yaml' }, dir)).toThrow(/Cannot read the sources file .*nope\.yaml \(SOURCES_FILE\)/);
  });
});
