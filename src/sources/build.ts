import type { Config, SourceConfig } from '../config/config.js';
import { confluenceSource } from './confluence/source.js';
import { driveSource } from './drive/drive-source.js';
import { folderSource } from './folder.js';
import { githubSource } from './github.js';
import { notionSource } from './notion/notion-source.js';
import { groupMapper } from './groups.js';
import type { SourceSpec } from './sync.js';
import { webSource } from './web/web-source.js';

/** The connector for one configured source. */
export function buildSource(source: SourceConfig, config: Pick<Config, 'ingest'>, cwd: string): SourceSpec {
  const chunking = { chunkSize: config.ingest.chunkSize, chunkOverlap: config.ingest.chunkOverlap };
  const access = {
    ...(source.accessGroup ? { accessGroup: source.accessGroup } : {}),
    ...(source.groups.length > 0 ? { groups: groupMapper(source.id, source.groups) } : {}),
  };
  if (source.type === 'folder') {
    const settings = { path: source.path, include: source.include, exclude: source.exclude, ...(source.urlBase ? { urlBase: source.urlBase } : {}) };
    return { source: folderSource(source.id, settings, { cwd, maxFileBytes: config.ingest.maxFileBytes, chunking }), ...access };
  }
  const ctx = { chunking, maxBytes: config.ingest.maxFileBytes };
  if (source.type === 'github') return { source: githubSource(source.id, source, ctx), ...access };
  if (source.type === 'confluence') return { source: confluenceSource(source.id, source, ctx), ...access };
  if (source.type === 'notion') return { source: notionSource(source.id, source, ctx), ...access };
  if (source.type === 'google-drive') return { source: driveSource(source.id, source, ctx), ...access };
  return { source: webSource(source.id, source, ctx), ...access };
}

/** Where a source reads from, for listings. */
export function describeSource(source: SourceConfig): string {
  if (source.type === 'folder') return source.path;
  if (source.type === 'github') return `${source.repo}${source.branch ? `@${source.branch}` : ''}${source.paths.length > 0 ? ` (${source.paths.join(', ')})` : ''}`;
  if (source.type === 'confluence') return `${source.baseUrl} (spaces ${source.spaces.join(', ')})`;
  if (source.type === 'notion') return source.baseUrl;
  if (source.type === 'google-drive') return `${source.folders.length} Drive folder(s)`;
  return source.url;
}
