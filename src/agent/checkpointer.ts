import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RunnableConfig } from '@langchain/core/runnables';
import { MemorySaver, type BaseCheckpointSaver, type Checkpoint, type CheckpointMetadata } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import type { Logger } from '../core/logger.js';
import type { SharedStateErrorSink } from '../shared-state/errors.js';
import { createPostgresCheckpointer } from './checkpointer-postgres.js';

export interface Checkpointer {
  saver: BaseCheckpointSaver;
  close(): Promise<void>;
  /** True when this thread's last answer ran without its memory (PostgreSQL unreachable). */
  memoryLost?(threadId: string): boolean;
}

export interface CheckpointerOptions {
  dataDir: string;
  memoryThreads: number;
  /** For `postgres`: DATABASE_URL, the retention and where failures are reported. */
  postgres?: { url: string; retentionDays: number; logger: Logger; onError?: SharedStateErrorSink; schema?: string };
}

/**
 * `memory` by default; `sqlite` keeps threads in `<dataDir>/threads.sqlite` across restarts;
 * `postgres` (DATABASE_URL set) shares them between replicas and prunes old ones.
 */
export function createCheckpointer(kind: 'memory' | 'sqlite' | 'postgres', opts: CheckpointerOptions): Checkpointer {
  if (kind === 'memory') return { saver: new RecentThreadsSaver(opts.memoryThreads), close: async () => undefined };
  if (kind === 'postgres') {
    if (!opts.postgres) throw new Error('the postgres checkpointer needs DATABASE_URL');
    const pg = createPostgresCheckpointer(opts.postgres);
    return { saver: pg.saver, close: pg.close, memoryLost: (thread) => pg.saver.takeFailure(thread) };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const saver = SqliteSaver.fromConnString(path.join(opts.dataDir, 'threads.sqlite'));
  return { saver, close: async () => void saver.db.close() };
}

/**
 * MemorySaver keeps every checkpoint of every thread forever, which a bot running for months
 * cannot afford. This one keeps only each thread's latest checkpoint (all the next answer reads)
 * and forgets the least recently used thread beyond `maxThreads`.
 */
export class RecentThreadsSaver extends MemorySaver {
  private readonly recent = new Map<string, true>();

  constructor(private readonly maxThreads: number) {
    super();
  }

  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): Promise<RunnableConfig> {
    const saved = await super.put(config, checkpoint, metadata);
    const thread = String(saved.configurable?.thread_id);
    const namespace = String(saved.configurable?.checkpoint_ns ?? '');
    const checkpoints = this.storage[thread]?.[namespace] ?? {};
    for (const id of Object.keys(checkpoints)) if (id !== checkpoint.id) delete checkpoints[id];
    const prefix = JSON.stringify([thread, namespace]).slice(0, -1);
    for (const key of Object.keys(this.writes)) {
      if (key.startsWith(prefix) && !key.endsWith(`${JSON.stringify(checkpoint.id)}]`)) delete this.writes[key];
    }
    this.recent.delete(thread);
    this.recent.set(thread, true);
    for (const oldest of this.recent.keys()) {
      if (this.recent.size <= this.maxThreads) break;
      this.recent.delete(oldest);
      await this.deleteThread(oldest);
    }
    return saved;
  }
}
