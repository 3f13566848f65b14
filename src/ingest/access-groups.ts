import fs from 'node:fs';
import path from 'node:path';
import type { IndexedDocument, SourceDocument } from '../core/documents.js';
import { CairnError } from '../core/errors.js';
import { isUnderRoot, normaliseSource, type IngestRoot } from './discover.js';

/**
 * Which access group a document gets. It must come from a rule that survives every later re-ingest
 * (`cairn start`, `/cairn-reindex`, `ingest --full` over a parent folder), never from whichever
 * command ran last. The rules, in the order they win among themselves:
 *
 * 1. the document's own `access_group` (front matter, a JSONL field);
 * 2. the folder rule: the group given with `--access-group` for a path, remembered in
 *    `<dataDir>/access-rules.json` (the most specific path wins);
 * 3. the group the document is indexed with now.
 *
 * Only when none applies does DEFAULT_ACCESS_GROUP. When rules disagree the stricter group wins: any
 * group that is not public beats a public one (so nothing becomes more readable by accident), and
 * between two private groups the order above decides. Every disagreement is reported by document.
 */

export interface GroupPolicy {
  defaultGroup: string;
  publicGroups: readonly string[];
}

/** Remembered folder rules: path as the user gave it → group. */
export interface AccessRules {
  groupFor(source: string): { root: string; group: string } | undefined;
  /** Makes `group` the rule for each root; `reset` first drops every rule at or under them. */
  set(roots: readonly string[], group: string | undefined, reset: boolean): void;
}

export interface ResolvedGroup {
  group: string;
  /** Set when the rules disagreed: what a person should read. */
  warning?: string;
}

/** Applies the rules above to one document. `stored` is ignored when the run resets access. */
export function resolveGroup(
  doc: Pick<SourceDocument, 'source' | 'declaredAccessGroup'>,
  folder: { root: string; group: string } | undefined,
  stored: IndexedDocument | undefined,
  policy: GroupPolicy,
): ResolvedGroup {
  const candidates = [
    ...(doc.declaredAccessGroup ? [{ group: doc.declaredAccessGroup, from: 'its own access_group' }] : []),
    ...(folder ? [{ group: folder.group, from: `the rule for ${folder.root}` }] : []),
    ...(stored ? [{ group: stored.accessGroup, from: 'the group it is indexed with' }] : []),
  ];
  if (candidates.length === 0) return { group: policy.defaultGroup };
  const chosen = candidates.find((c) => !policy.publicGroups.includes(c.group)) ?? candidates[0]!;
  if (candidates.every((c) => c.group === chosen.group)) return { group: chosen.group };
  const said = candidates.map((c) => `${c.from} says ${c.group}`).join(', ');
  const fix = 'To change it on purpose, run `cairn ingest <path> --access-group <group> --reset-access`.';
  return { group: chosen.group, warning: `${doc.source}: ${said}; keeping ${chosen.group}, the stricter. ${fix}` };
}

const RULES_FILE = 'access-rules.json';

/**
 * Folder rules kept as JSON in the data directory, read when first needed (so commands that never
 * ingest do not depend on the file) and written atomically.
 */
export class AccessRulesFile implements AccessRules {
  private loaded: Record<string, string> | undefined;
  private readonly file: string | null;

  /** The rules of a data directory; null `dataDir` keeps them in memory for one run. */
  constructor(dataDir: string | null) {
    this.file = dataDir === null ? null : path.join(dataDir, RULES_FILE);
  }

  private get rules(): Record<string, string> {
    this.loaded ??= this.file === null ? {} : readRules(this.file);
    return this.loaded;
  }

  groupFor(source: string): { root: string; group: string } | undefined {
    let best: { root: string; group: string } | undefined;
    for (const [root, group] of Object.entries(this.rules)) {
      if (!coversSource(root, source)) continue;
      if (!best || root.length > best.root.length) best = { root, group };
    }
    return best;
  }

  set(roots: readonly string[], group: string | undefined, reset: boolean): void {
    const next = { ...this.rules };
    for (const userPath of roots) {
      const root = normaliseSource(userPath);
      if (reset) for (const existing of Object.keys(next)) if (coversSource(root, existing)) delete next[existing];
      if (group !== undefined) next[root] = group;
    }
    if (JSON.stringify(next) === JSON.stringify(this.rules)) return;
    this.loaded = next;
    if (this.file) writeAtomically(this.file, `${JSON.stringify({ rules: next }, null, 2)}\n`);
  }
}

function readRules(file: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CairnError('INGEST', `Cannot read the access rules in ${file}: ${(err as Error).message}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // Guessing here could make private documents public: refuse, and say how to recover.
    throw new CairnError('INGEST', `${file} is not valid JSON. Fix it, or restore it from a backup, before ingesting: it holds which folders are in which access group.`, { cause: err });
  }
  const rules = (parsed as { rules?: unknown } | null)?.rules;
  if (typeof rules !== 'object' || rules === null || Object.values(rules).some((g) => typeof g !== 'string')) {
    throw new CairnError('INGEST', `${file} should look like {"rules": {"docs/hr": "hr"}}.`);
  }
  return rules as Record<string, string>;
}

/** A rule for `root` covers a source at it or under it (a file root only itself, `#id` JSONL lines included). */
function coversSource(root: string, source: string): boolean {
  const asDir: IngestRoot = { source: root, kind: 'dir' };
  return source === root || source.startsWith(`${root}#`) || isUnderRoot(source, asDir);
}

function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
