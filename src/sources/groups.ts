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
