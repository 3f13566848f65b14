import fs from 'node:fs';
import path from 'node:path';

/**
 * The on-disk layout of the embedded index under `<dataDir>/index/`:
 *
 *   CURRENT            the name of the generation readers use, replaced by atomic rename
 *   gen-0003/          one directory per full build: store.sqlite (+ WAL) and vectors-<seq>.usearch
 *   gen-0004/BUILDING  present while a build is unfinished; holds the builder's pid
 *
 * A generation that is not CURRENT and has no live builder is stale: a finished build's
 * predecessor, or a build whose process died. Any process may delete it.
 */

const GEN_PATTERN = /^gen-(\d+)$/;
const BUILDING = 'BUILDING';

export interface Generation {
  name: string;
  dir: string;
}

export class IndexLayout {
  readonly root: string;
  private readonly currentFile: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'index');
    this.currentFile = path.join(this.root, 'CURRENT');
  }

  generation(name: string): Generation {
    return { name, dir: path.join(this.root, name) };
  }

  /** Changes whenever CURRENT is replaced (rename gives a new inode); null when there is none. */
  currentStamp(): string | null {
    try {
      const st = fs.statSync(this.currentFile);
      return `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  readCurrent(): string | null {
    let name: string;
    try {
      name = fs.readFileSync(this.currentFile, 'utf8').trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return GEN_PATTERN.test(name) ? name : null;
  }

  /** Points readers at `name`: write a temp file, flush it, rename over CURRENT (atomic on POSIX). */
  writeCurrent(name: string): void {
    const tmp = `${this.currentFile}.tmp-${process.pid}`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, `${name}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.currentFile);
  }

  /** Creates the next generation directory, marked as being built by this process. */
  allocate(): Generation {
    fs.mkdirSync(this.root, { recursive: true });
    for (;;) {
      const next = Math.max(0, ...this.generationNames().map(genNumber)) + 1;
      const gen = this.generation(`gen-${String(next).padStart(4, '0')}`);
      try {
        fs.mkdirSync(gen.dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue; // another process took it
        throw err;
      }
      fs.writeFileSync(path.join(gen.dir, BUILDING), String(process.pid));
      return gen;
    }
  }

  markBuilt(gen: Generation): void {
    fs.rmSync(path.join(gen.dir, BUILDING), { force: true });
  }

  remove(gen: Generation): void {
    fs.rmSync(gen.dir, { recursive: true, force: true });
  }

  /** Deletes every generation that is neither CURRENT nor being built by a live process. */
  removeStale(): string[] {
    const current = this.readCurrent();
    const removed: string[] = [];
    for (const name of this.generationNames()) {
      if (name === current) continue;
      const gen = this.generation(name);
      if (this.builderAlive(gen)) continue;
      this.remove(gen);
      removed.push(name);
    }
    return removed;
  }

  private builderAlive(gen: Generation): boolean {
    let pid: number;
    try {
      pid = Number(fs.readFileSync(path.join(gen.dir, BUILDING), 'utf8'));
    } catch {
      return false;
    }
    if (!Number.isInteger(pid) || pid <= 0) return false;
    if (pid === process.pid) return true;
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      // EPERM: the process exists but belongs to someone else.
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  private generationNames(): string[] {
    try {
      return fs.readdirSync(this.root).filter((n) => GEN_PATTERN.test(n));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}

function genNumber(name: string): number {
  return Number(GEN_PATTERN.exec(name)?.[1] ?? 0);
}
