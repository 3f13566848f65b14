import { stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { IngestFailure } from './failures.js';
import { formatOf, SUPPORTED_EXTENSIONS, type FileFormat } from './formats.js';
import { symlinkLoopGuard } from './symlink-loops.js';

export const DEFAULT_INCLUDE = [`**/*.{${SUPPORTED_EXTENSIONS.join(',')}}`];
/** Always applied; `--exclude` adds to these. Dotfiles and dot-folders are skipped by the glob itself. */
export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**'];

export interface DiscoveredFile {
  /** Where to read it from. */
  absPath: string;
  /** The path as the user gave it joined with the path under it, forward slashes: the document's identity. */
  source: string;
  format: FileFormat;
}

/** A path the user asked for; documents under it that were not seen this run are removed. */
export interface IngestRoot {
  source: string;
  kind: 'dir' | 'file';
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Roots that exist. A missing root is reported in `failures` and protects what is indexed under it. */
  roots: IngestRoot[];
  failures: IngestFailure[];
}

export interface DiscoverOptions {
  include?: string[];
  exclude?: string[];
  cwd: string;
}

/** `./docs/` and `docs` name the same root; sources always use forward slashes. */
export function normaliseSource(userPath: string, relative = ''): string {
  const joined = path.posix.join(userPath.replace(/\\/g, '/'), relative.replace(/\\/g, '/'));
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

/** Expands files and directories into the files to read, in a stable (byte-wise sorted) order. */
export async function discover(paths: string[], options: DiscoverOptions): Promise<Discovery> {
  const include = options.include && options.include.length > 0 ? options.include : DEFAULT_INCLUDE;
  const exclude = [...DEFAULT_EXCLUDE, ...(options.exclude ?? [])];
  const files = new Map<string, DiscoveredFile>();
  const roots: IngestRoot[] = [];
  const failures: IngestFailure[] = [];

  for (const userPath of paths) {
    const rootSource = normaliseSource(userPath);
    const absRoot = path.resolve(options.cwd, userPath);
    const { kind, detail } = await kindOf(absRoot);
    if (kind === 'missing') {
      failures.push({ source: rootSource, reason: 'not_found', detail });
      continue;
    }
    if (kind === 'other') {
      failures.push({ source: rootSource, reason: 'unsupported', detail: 'not a regular file or directory' });
      continue;
    }
    roots.push({ source: rootSource, kind });
    if (kind === 'file') {
      addFile(files, failures, absRoot, rootSource);
      continue;
    }
    // baseNameMatch: a slash-free pattern such as `*.md` or `drafts` matches at any depth, as in .gitignore.
    const guard = symlinkLoopGuard(absRoot);
    const found = await fg(include, { cwd: absRoot, ignore: exclude, dot: false, onlyFiles: true, baseNameMatch: true, unique: true, fs: { stat: guard.stat } });
    for (const rel of found) addFile(files, failures, path.join(absRoot, rel), normaliseSource(userPath, rel));
    for (const loop of guard.loops) {
      failures.push({ source: normaliseSource(userPath, path.relative(absRoot, loop.linkPath)), reason: 'symlink_loop', detail: `${loop.detail}; not followed` });
    }
  }
  const sorted = [...files.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return { files: sorted, roots, failures };
}

function addFile(files: Map<string, DiscoveredFile>, failures: IngestFailure[], absPath: string, source: string): void {
  if (files.has(source)) return;
  const format = formatOf(absPath);
  if (format === undefined) {
    failures.push({ source, reason: 'unsupported', detail: `unsupported file type; supported: ${SUPPORTED_EXTENSIONS.join(', ')}` });
    return;
  }
  files.set(source, { absPath, source, format });
}

async function kindOf(absPath: string): Promise<{ kind: 'file' | 'dir' | 'missing' | 'other'; detail: string }> {
  try {
    const s = await stat(absPath);
    return { kind: s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other', detail: '' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { kind: 'missing', detail: code === 'ENOENT' ? 'no such file or directory' : `cannot be read (${code ?? String(err)})` };
  }
}

/** True when `source` is `root` itself, lies under it, or is a JSONL line of it (`file#id`). */
export function isUnderRoot(source: string, root: IngestRoot): boolean {
  if (source === root.source) return true;
  if (root.kind === 'file') return source.startsWith(`${root.source}#`);
  if (root.source === '.') return !source.startsWith('../') && !source.startsWith('/');
  if (root.source === '/') return source.startsWith('/');
  return source.startsWith(`${root.source}/`);
}
