import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';

/**
 * `cairn.sources.yaml` (or SOURCES_FILE): where Cairn's documents come from. A list of sources, each
 * with an id, a type and that type's settings; secrets are never written here, only the name of the
 * environment variable that holds them (`auth_header_env: DOCS_AUTH`). Without the file, DOCS_DIR is
 * the one source, as before the file existed.
 */

interface Common {
  id: string;
  accessGroup?: string;
  /** `groups:` in file order: items whose path or URL matches a pattern get its group (first match wins). */
  groups: Array<{ pattern: string; group: string }>;
  include: string[];
  exclude: string[];
  /** Milliseconds between scheduled syncs; undefined: only when asked (`cairn sources sync`). */
  everyMs?: number;
}

export type SourceConfig =
  | (Common & { type: 'folder'; path: string; urlBase?: string })
  | (Common & {
      type: 'web';
      url: string;
      mode: 'auto' | 'sitemap' | 'llms' | 'crawl';
      sitemaps: string[];
      allowedOrigins: string[];
      maxDepth: number;
      maxPages: number;
      requestsPerSecond: number;
      /** Resolved from the env var the file names. */
      headers: Record<string, string>;
      /** The setting a 401/403 message tells the user to check. */
      authHint: string;
    })
  | (Common & { type: 'github'; repo: string; branch?: string; paths: string[]; baseUrl: string; token?: string; authHint: string; accessGroups: Record<string, string> })
  | (Common & { type: 'confluence'; baseUrl: string; spaces: string[]; headers: Record<string, string>; authHint: string; accessGroups: Record<string, string> })
  | (Common & { type: 'notion'; baseUrl: string; token: string; authHint: string })
  | (Common & { type: 'google-drive'; baseUrl: string; folders: DriveFolder[]; auth: DriveAuth; authHint: string });

/** A Drive folder to sync and, when it has one, the access group of everything under it. */
export interface DriveFolder {
  id: string;
  accessGroup?: string;
}
/** An OAuth access token, or a service-account key file (its path read from the env var the file names). */
export type DriveAuth = { kind: 'token'; token: string } | { kind: 'key-file'; path: string };

const ID = /^[a-z0-9][a-z0-9_-]*$/;
const GROUP = /^[\w.-]+$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** Keys that hold a secret unless they end in `_env` (then they name the variable that holds it). */
const SECRET_KEY = /(token|secret|password|passwd|api[_-]?key|private[_-]?key|authorization|credential|cookie)/i;
/** Values that are secrets whatever their key: the prefixes of common tokens and auth headers. */
const SECRET_VALUE = /^(ghp_|gho_|github_pat_|glpat-|xox[abpr]-|sk-|secret_|ntn_|ya29\.|AKIA|-----BEGIN|(Bearer|Basic|token)\s+\S)/;

const http = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' });
const globs = z.array(z.string().min(1)).default([]);
const schedule = z
  .string()
  .regex(/^(manual|every \d+ ?(m|min|minutes?|h|hours?|d|days?))$/, 'expected "manual" or "every <n> m|h|d", e.g. "every 30 m"')
  .optional();

const group = z.string().regex(GROUP, 'expected a group name of letters, digits, "_", "." or "-"');
const common = {
  id: z.string().regex(ID, 'expected lower-case letters, digits, "_" or "-", e.g. docs-site'),
  access_group: group.optional(),
  /** A glob on the item's path (or an http(s):// glob on its URL) → the group its documents get. */
  groups: z.record(z.string().min(1), group).default({}),
  include: globs,
  exclude: globs,
  schedule,
};

const FolderEntry = z.strictObject({ ...common, type: z.literal('folder'), path: z.string().min(1), url_base: http.optional() });
const WebEntry = z.strictObject({
  ...common,
  type: z.literal('web'),
  url: http,
  mode: z.enum(['auto', 'sitemap', 'llms', 'crawl']).default('auto'),
  sitemaps: z.array(http).default([]),
  allowed_origins: z.array(http).default([]),
  max_depth: z.number().int().min(0).max(50).default(5),
  max_pages: z.number().int().min(1).max(1_000_000).default(5000),
  requests_per_second: z.number().positive().max(1000).default(2),
  auth_header_env: z.string().regex(ENV_NAME, 'expected the name of an environment variable, e.g. DOCS_AUTH').optional(),
});
const envName = z.string().regex(ENV_NAME, 'expected the name of an environment variable, e.g. GITHUB_TOKEN');
/** Sub-part (a repository folder, a Confluence space key) → access group. */
const accessGroups = z.record(z.string().min(1), common.access_group.unwrap()).default({});
const GitHubEntry = z.strictObject({
  ...common,
  type: z.literal('github'),
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected owner/name, e.g. acme/handbook'),
  branch: z.string().min(1).optional(),
  paths: z.array(z.string().min(1)).default([]),
  base_url: http.default('https://api.github.com'),
  token_env: envName.optional(),
  access_groups: accessGroups,
});
const ConfluenceEntry = z.strictObject({
  ...common,
  type: z.literal('confluence'),
  base_url: http,
  spaces: z.array(z.string().regex(/^[\w~-]+$/, 'expected a space key, e.g. ENG')).min(1),
  email_env: envName.optional(),
  token_env: envName.optional(),
  access_groups: accessGroups,
});
const NotionEntry = z.strictObject({ ...common, type: z.literal('notion'), token_env: envName, base_url: http.default('https://api.notion.com') });
const DriveEntry = z
  .strictObject({
    ...common,
    type: z.literal('google-drive'),
    folders: z.array(z.union([z.string().min(1), z.strictObject({ id: z.string().min(1), access_group: common.access_group })])).min(1),
    token_env: envName.optional(),
    key_file_env: envName.optional(),
    base_url: http.default('https://www.googleapis.com/'),
  })
  .refine((e) => (e.token_env === undefined) !== (e.key_file_env === undefined), { message: 'set exactly one of token_env (an OAuth access token) or key_file_env (a service-account key file path)', path: ['token_env'] });
const Entry = z.discriminatedUnion('type', [FolderEntry, WebEntry, GitHubEntry, ConfluenceEntry, NotionEntry, DriveEntry], {
  message: 'expected type: folder, web, github, confluence, notion or google-drive',
});

/** The sources to sync: the file's, or DOCS_DIR as one folder source when there is no file. */
export function loadSources(options: { file: string; explicit: boolean; docsDir: string; cwd: string; env: Record<string, string | undefined> }): SourceConfig[] {
  const file = path.resolve(options.cwd, options.file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !options.explicit) return [{ id: 'docs', type: 'folder', path: options.docsDir, include: [], exclude: [], groups: [] }];
    throw new ConfigError(`Cannot read the sources file ${file} (SOURCES_FILE): ${(err as Error).message}`);
  }
  return parseSources(text, file, options.env);
}

export function parseSources(text: string, file: string, env: Record<string, string | undefined>): SourceConfig[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${file} is not valid YAML: ${(err as Error).message}`);
  }
  const list = Array.isArray(raw) ? raw : (raw as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(list)) throw new ConfigError(`${file}: expected a list of sources (each with id, type and its settings), or "sources:" holding one.`);
  const problems: string[] = [];
  const sources: SourceConfig[] = [];
  const ids = new Set<string>();
  list.forEach((entry: unknown, i) => {
    const name = describe(entry, i);
    const secrets = findSecrets(entry);
    if (secrets.length > 0) {
      problems.push(...secrets.map((field) => `  ${name}: ${field} holds a secret. Put it in an environment variable and write its name instead (e.g. auth_header_env: DOCS_AUTH); secrets never go in ${path.basename(file)}.`));
      return;
    }
    const parsed = Entry.safeParse(entry);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => `  ${name}: ${issue.path.join('.') || 'type'}: ${issue.message}`));
      return;
    }
    if (ids.has(parsed.data.id)) problems.push(`  ${name}: id: another source already has the id "${parsed.data.id}"`);
    ids.add(parsed.data.id);
    const resolved = resolve(parsed.data, env);
    if (typeof resolved === 'string') problems.push(`  ${name}: ${resolved}`);
    else sources.push(resolved);
  });
  if (problems.length > 0) throw new ConfigError(`Invalid sources file ${file}:\n${problems.join('\n')}`);
  return sources;
}

function resolve(e: z.infer<typeof Entry>, env: Record<string, string | undefined>): SourceConfig | string {
  const common: Common = {
    id: e.id,
    include: e.include,
    exclude: e.exclude,
    groups: Object.entries(e.groups).map(([pattern, g]) => ({ pattern, group: g })),
    ...(e.access_group ? { accessGroup: e.access_group } : {}),
    ...(e.schedule && e.schedule !== 'manual' ? { everyMs: scheduleMs(e.schedule) } : {}),
  };
  const unset = Object.entries(e).find(([key, name]) => key.endsWith('_env') && typeof name === 'string' && !env[name]?.trim());
  if (unset) return `${unset[0]}: the environment variable ${String(unset[1])} is not set`;
  if (e.type === 'folder') return { ...common, type: 'folder', path: e.path, ...(e.url_base ? { urlBase: e.url_base } : {}) };
  const value = (name: string | undefined) => (name ? env[name]!.trim() : undefined);
  if (e.type === 'github') {
    const token = value(e.token_env);
    const { repo, paths, access_groups: accessGroups } = e;
    const authHint = e.token_env ? `the token in ${e.token_env} (token_env of source "${e.id}")` : `token_env of source "${e.id}" (the name of a variable holding a GitHub token)`;
    return { ...common, type: 'github', repo, paths, baseUrl: e.base_url, authHint, accessGroups, ...(e.branch ? { branch: e.branch } : {}), ...(token ? { token } : {}) };
  }
  if (e.type === 'notion') {
    const authHint = `the integration token in ${e.token_env} (token_env of source "${e.id}"), and that the pages are shared with the integration`;
    return { ...common, type: 'notion', baseUrl: e.base_url, token: value(e.token_env)!, authHint };
  }
  if (e.type === 'google-drive') {
    const setting = e.token_env ? 'token_env' : 'key_file_env';
    const name = (e.token_env ?? e.key_file_env)!;
    const secret = value(name)!;
    const folders = e.folders.map((f) => (typeof f === 'string' ? { id: f } : { id: f.id, ...(f.access_group ? { accessGroup: f.access_group } : {}) }));
    const auth: DriveAuth = e.token_env ? { kind: 'token', token: secret } : { kind: 'key-file', path: secret };
    return { ...common, type: 'google-drive', baseUrl: e.base_url, folders, auth, authHint: `the credentials in ${name} (${setting} of source "${e.id}"), and that the folders are shared with them` };
  }
  if (e.type === 'confluence') {
    if (e.email_env && !e.token_env) return 'token_env: email_env needs token_env too (the API token that goes with the email)';
    const [email, token] = [value(e.email_env), value(e.token_env)];
    const headers: Record<string, string> = token ? { authorization: email ? `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` : `Bearer ${token}` } : {};
    const authHint = e.token_env ? `the credentials in ${[e.email_env, e.token_env].filter(Boolean).join(' and ')} (${e.email_env ? 'email_env and ' : ''}token_env of source "${e.id}")` : `token_env of source "${e.id}" (and email_env for Confluence Cloud)`;
    return { ...common, type: 'confluence', baseUrl: e.base_url, spaces: e.spaces, headers, authHint, accessGroups: e.access_groups };
  }
  const headers: Record<string, string> = {};
  if (e.auth_header_env) headers.authorization = env[e.auth_header_env]!.trim();
  return {
    ...common,
    type: 'web',
    url: e.url,
    mode: e.mode,
    sitemaps: e.sitemaps,
    allowedOrigins: e.allowed_origins,
    maxDepth: e.max_depth,
    maxPages: e.max_pages,
    requestsPerSecond: e.requests_per_second,
    headers,
    authHint: e.auth_header_env
      ? `the credentials in ${e.auth_header_env} (auth_header_env of source "${e.id}")`
      : `whether the site needs credentials: set auth_header_env of source "${e.id}" to the name of a variable holding its Authorization header`,
  };
}

/** Paths (`headers.Authorization`) of literal secrets anywhere in one entry. */
function findSecrets(value: unknown, at = ''): string[] {
  if (typeof value === 'string') return SECRET_VALUE.test(value.trim()) ? [at || 'a value'] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => findSecrets(v, `${at}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const here = at ? `${at}.${key}` : key;
    if (SECRET_KEY.test(key) && !key.endsWith('_env') && v !== null && v !== undefined && v !== '') return [here];
    return findSecrets(v, here);
  });
}

function describe(entry: unknown, i: number): string {
  const id = (entry as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? `source "${id}" (entry ${i + 1})` : `entry ${i + 1}`;
}

function scheduleMs(s: string): number {
  const [, n, unit] = /^every (\d+) ?([mhd])/.exec(s)!;
  return Number(n) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 'm' | 'h' | 'd'];
}
