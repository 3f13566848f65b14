import fs from 'node:fs';
import path from 'node:path';

/**
 * The on-disk layout of the embedded index under `<dataDir>/index/`:
 *
 *   CURRENT            the name of the generation readers use, replaced by atomic rename
 *   LOCK               held by the one index writer (writer-lock.ts)
 *   gen-0003/          one directory per full build: store.sqlite (+ WAL) and HNSW snapshots vectors-<seq>/
 *   gen-0004/BUILDING  present while a build is unfinished; holds the builder's pid
 *
 * A generation that is not CURRENT and has no live builder is stale: a finished build's
 * predecessor, or a build whose process died. A writer deletes it, and only while CURRENT names a
 * generation that exists: an empty, unreadable or dangling CURRENT is damage to recover from,
 * never a reason to delete (issue 10, item 12).
 */

export const DB_FILE = 'store.sqlite';
const GEN_PATTERN = /^gen-(\d+)$/;
const BUILDING = 'BUILDING';

export interface Generation {
  name: string;
  dir: string;
}

/** What CURRENT says: nothing (no index yet), a generation that exists, or something unusable and why. */
export type Pointer = { kind: 'none' } | { kind: 'generation'; name: string } | { kind: 'unusable'; reason: string };

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

  readCurrent(): Pointer {
    let name: string;
    try {
      name = fs.readFileSync(this.currentFile, 'utf8').trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return this.completeGenerations().length > 0 ? { kind: 'unusable', reason: 'is missing' } : { kind: 'none' };
      return { kind: 'unusable', reason: `cannot be read (${code ?? (err as Error).message})` };
    }
    if (!GEN_PATTERN.test(name)) return { kind: 'unusable', reason: name ? `holds ${JSON.stringify(name.slice(0, 40))}, not a generation name` : 'is empty' };
    if (!fs.existsSync(path.join(this.root, name))) return { kind: 'unusable', reason: `names ${name}, which does not exist` };
    return { kind: 'generation', name };
  }

  /** The newest generation a build finished: what CURRENT most likely named before it was damaged. */
  newestComplete(): string | null {
    return this.completeGenerations().sort((a, b) => genNumber(b) - genNumber(a))[0] ?? null;
  }

  hasGenerations(): boolean {
    return this.generationNames().length > 0;
  }

  /** Generations with a database and no BUILDING marker: committed at some point. */
  private completeGenerations(): string[] {
    return this.generationNames().filter((name) => {
      const dir = this.generation(name).dir;
      return !fs.existsSync(path.join(dir, BUILDING)) && fs.existsSync(path.join(dir, DB_FILE));
    });
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

  /** Deletes every generation that is neither CURRENT nor being built by a live process; nothing unless CURRENT is sound. */
  removeStale(): string[] {
    const stale = this.staleGenerations();
    for (const gen of stale) this.remove(gen);
    return stale.map((gen) => gen.name);
  }

  /**
   * removeStale for a process answering questions meanwhile: the files are deleted on libuv's
   * threads, since deleting a 100k-chunk generation holds the calling thread for hundreds of ms.
   */
  async removeStaleAsync(): Promise<string[]> {
    const stale = this.staleGenerations();
    for (const gen of stale) await fs.promises.rm(gen.dir, { recursive: true, force: true });
    return stale.map((gen) => gen.name);
  }

  private staleGenerations(): Generation[] {
    const pointer = this.readCurrent();
    if (pointer.kind !== 'generation') return [];
    return this.generationNames()
      .filter((name) => name !== pointer.name)
      .map((name) => this.generation(name))
      .filter((gen) => !this.builderAlive(gen));
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
