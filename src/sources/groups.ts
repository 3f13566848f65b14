import picomatch from 'picomatch';
import type { SourceItem } from './source.js';

/** One `groups:` entry of a source: items whose path (or URL) matches `pattern` get `group`. */
export interface GroupRule {
  pattern: string;
  group: string;
}

/** The rule that decides an item's group, named for warnings. */
export interface MappedGroup {
  root: string;
  group: string;
}

export type GroupMapper = (item: SourceItem) => MappedGroup | undefined;

/**
 * A source's `groups:` mapping, the same for every source type: a pattern that starts with http(s)://
 * is matched against the item's URL, any other against its path within the source (a file's path
 * under the folder, a page's URL path, what a connector sets as `path`). The first matching rule wins,
 * in the order of the file.
 */
export function groupMapper(sourceId: string, rules: readonly GroupRule[]): GroupMapper {
  const compiled = rules.map((r) => ({ ...r, byUrl: /^https?:\/\//i.test(r.pattern), test: picomatch(r.pattern, { dot: true }) }));
  return (item) => {
    const where = itemPath(item);
    const hit = compiled.find((r) => (r.byUrl ? item.url !== undefined && r.test(item.url) : r.test(where)));
    return hit ? { root: `groups "${hit.pattern}" of source ${sourceId}`, group: hit.group } : undefined;
  };
}

/** Where an item lies within its source, for `groups:` patterns. */
export function itemPath(item: SourceItem): string {
  if (item.path !== undefined) return item.path;
  if (item.url !== undefined) {
    try {
      return new URL(item.url).pathname;
    } catch {
      // Not a URL after all: its id is the best name left.
    }
  }
  return item.id;
}

/** The access group of the sub-part a document lies in, and that sub-part's name for warnings. */
export type GroupOf = (docId: string) => { part: string; group: string } | undefined;

/**
 * Maps sub-parts (a repository folder, a Confluence space key) to groups: the longest key that is the
 * document's part or a folder above it wins. `partOf` says which part a document is in.
 */
export function groupByPrefix(groups: Record<string, string>, partOf: (docId: string) => string | undefined, describe: (key: string) => string): GroupOf {
  const keys = Object.keys(groups).sort((a, b) => b.length - a.length);
  return (docId) => {
    const part = partOf(docId);
    if (part === undefined) return undefined;
    const key = keys.find((k) => part === k || part.startsWith(`${k.replace(/\/+$/, '')}/`));
    return key === undefined ? undefined : { part: describe(key), group: groups[key]! };
  };
}
