import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { Logger } from '../../core/logger.js';

/**
 * One writer of the index at a time, across processes (issue 10, item 11). A full re-index holds the
 * lock from its start to its commit or abort; an incremental write holds it for that one write, so
 * it waits while a re-index runs and then lands in the new generation instead of in the one the
 * commit is about to replace (where it would be lost).
 *
 * The lock is SQLite's own: an exclusive transaction on `index/LOCK`, a database that holds nothing.
 * The operating system releases it when its process dies, so a crashed writer leaves no stale lock.
 * `index/LOCK.holder` says who holds it, for the message a waiting writer logs.
 */

export type WriterPurpose = 'write' | 'rebuild';

interface Holder {
  pid: number;
  purpose: WriterPurpose;
  since: string;
}

const POLL_MS = 200;

export class WriterLock {
  private readonly file: string;
  private readonly holderFile: string;

  constructor(
    private readonly root: string,
    private readonly logger: Logger,
  ) {
    this.file = path.join(root, 'LOCK');
    this.holderFile = path.join(root, 'LOCK.holder');
  }

  /** Waits until this caller is the only writer; returns the release function (safe to call twice). */
  async acquire(purpose: WriterPurpose): Promise<() => void> {
    fs.mkdirSync(this.root, { recursive: true });
    const db = new Database(this.file, { timeout: 0 });
    try {
      let warned = false;
      while (!tryBegin(db)) {
        if (!warned) {
          warned = true;
          const holder = this.holder();
          this.logger.warn({ holder }, `${describe(holder)} is running; waiting for it to finish before writing`);
        }
        await sleep(POLL_MS);
      }
      if (warned) this.logger.warn('the other index writer has finished; writing now');
    } catch (err) {
      db.close();
      throw err;
    }
    const holder: Holder = { pid: process.pid, purpose, since: new Date().toISOString() };
    fs.writeFileSync(this.holderFile, JSON.stringify(holder));
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      db.close(); // ends the transaction, and with it the lock
    };
  }

  private holder(): Holder | null {
    try {
      return JSON.parse(fs.readFileSync(this.holderFile, 'utf8')) as Holder;
    } catch {
      return null;
    }
  }
}

function tryBegin(db: Database.Database): boolean {
  try {
    db.exec('BEGIN EXCLUSIVE');
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw err;
  }
}

function describe(holder: Holder | null): string {
  if (!holder) return 'another index write';
  const what = holder.purpose === 'rebuild' ? 'a full re-index (`cairn ingest --full`)' : 'another index write';
  return `${what} (process ${holder.pid}, since ${holder.since})`;
}
