import type { Config, SourceConfig } from '../config/config.js';
import { folderSource } from './folder.js';
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
  return { source: webSource(source.id, source, { chunking, maxBytes: config.ingest.maxFileBytes }), ...access };
}

/** Where a source reads from, for listings. */
export function describeSource(source: SourceConfig): string {
  return source.type === 'folder' ? source.path : source.url;
}
