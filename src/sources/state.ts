import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from '../core/errors.js';
import type { ItemState } from './source.js';

/** How the last run of a source ended; `/cairn-sources` and `cairn sources list` show it. */
export interface LastRun {
  status: 'ok' | 'failed';
  at: string;
  error?: string;
  changed: number;
  removed: number;
}

/**
 * Everything a source's syncs remember between runs: each item's version, validators and the documents
 * it produced (the source owns exactly these: deletions never reach beyond them), and the pass under
 * way. `pass` is set while a listing has not completed; the next run resumes at its cursor and counts
 * the items it had already seen, so a listing spread over several runs still ends in one deletion.
 */
export interface SourceState {
  items: Record<string, ItemState>;
  pass?: { cursor: string | null; seen: string[] };
  lastRun?: LastRun;
  lastSuccess?: string;
}

/** One JSON file per source in `<dataDir>/sources/`, written atomically (a crash leaves the old file). */
export class SourceStateStore {
  constructor(private readonly dir: string) {}

  private file(id: string): string {
    return path.join(this.dir, `${encodeURIComponent(id)}.json`);
  }

  async load(id: string): Promise<SourceState> {
    let text: string;
    try {
      text = await readFile(this.file(id), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { items: {} };
      throw new CairnError('INGEST', `Cannot read the sync state of source "${id}" in ${this.file(id)}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const parsed = JSON.parse(text) as SourceState;
      if (typeof parsed.items !== 'object' || parsed.items === null) throw new Error('no "items"');
      return parsed;
    } catch (err) {
      // Guessing would risk deleting documents: refuse, and say how to recover.
      throw new CairnError('INGEST', `The sync state of source "${id}" (${this.file(id)}) is damaged. Delete the file and run \`cairn sources sync ${id} --full\`.`, { cause: err });
    }
  }

  async save(id: string, state: SourceState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file(id)}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(state));
    await rename(tmp, this.file(id));
  }

  async remove(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }

  /** Ids of every source that has state, configured or not (a removed source still has its file). */
  async ids(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((f) => f.endsWith('.json')).map((f) => decodeURIComponent(f.slice(0, -5)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
