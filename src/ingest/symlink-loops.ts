import { stat, type Stats } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

export interface SymlinkLoop {
  /** The link, as walked from the root. */
  linkPath: string;
  detail: string;
}

type StatCallback = (err: NodeJS.ErrnoException | null, stats: Stats) => void;

/**
 * A `stat` for fast-glob that refuses to follow a symbolic link into a folder the walk is already
 * inside. Followed, `docs/sub/up -> ..` is walked again and again until the OS gives up at about
 * 40 levels, indexing every file under `docs` dozens of times under made-up paths (and two such
 * links square that). fast-glob stats only symbolic links, and skips one whose stat fails, so
 * failing the stat of a looping link is how it is left out; `loops` lists each one for the report.
 */
export function symlinkLoopGuard(root: string): { stat: (p: string, cb: StatCallback) => void; loops: SymlinkLoop[] } {
  const loops: SymlinkLoop[] = [];
  const real = new Map<string, Promise<string>>();
  const realOf = (p: string) => {
    let r = real.get(p);
    if (!r) real.set(p, (r = realpath(p)));
    return r;
  };

  /** The real folder of every folder from the root down to where the link sits. */
  async function walkedFolders(linkPath: string): Promise<string[]> {
    const folders: string[] = [];
    for (let dir = path.dirname(linkPath); ; dir = path.dirname(dir)) {
      folders.push(await realOf(dir));
      if (dir === root || path.dirname(dir) === dir || !dir.startsWith(root)) return folders;
    }
  }

  async function loopDetail(linkPath: string): Promise<string | null> {
    const target = await realOf(linkPath);
    const within = (folder: string) => folder === target || folder.startsWith(target.endsWith(path.sep) ? target : `${target}${path.sep}`);
    return (await walkedFolders(linkPath)).some(within) ? `symbolic link to ${target}, a folder it is already inside` : null;
  }

  return {
    loops,
    stat(p, cb) {
      stat(p, (err, stats) => {
        if (err) {
          if (err.code === 'ELOOP') loops.push({ linkPath: p, detail: 'symbolic link that never resolves (it leads back to itself)' });
          cb(err, stats);
          return;
        }
        if (!stats.isDirectory()) {
          cb(null, stats);
          return;
        }
        loopDetail(p).then(
          (detail) => {
            if (!detail) return cb(null, stats);
            loops.push({ linkPath: p, detail });
            cb(Object.assign(new Error(`symlink loop: ${p}`), { code: 'ELOOP' }), stats);
          },
          (e: NodeJS.ErrnoException) => cb(e, stats),
        );
      });
    },
  };
}
