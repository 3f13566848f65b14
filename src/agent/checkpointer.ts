import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RunnableConfig } from '@langchain/core/runnables';
import type { AnswerRequest } from '../core/answer.js';
import { MemorySaver, type BaseCheckpointSaver, type Checkpoint, type CheckpointMetadata } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';

/**
 * Thread memory. One thread per platform + channel + thread; a request without a thread id
 * (a one-off `cairn ask`) has no memory. Memory holds only the thread's recent turns.
 */
export function threadKey(request: Pick<AnswerRequest, 'platform' | 'channelId' | 'threadId'>): string | null {
  return request.threadId ? `${request.platform}:${request.channelId}:${request.threadId}` : null;
}

export interface Checkpointer {
  saver: BaseCheckpointSaver;
  close(): Promise<void>;
}

/** `memory` by default; `sqlite` keeps threads in `<dataDir>/threads.sqlite` across restarts. */
export function createCheckpointer(kind: 'memory' | 'sqlite', opts: { dataDir: string; memoryThreads: number }): Checkpointer {
  if (kind === 'memory') return { saver: new RecentThreadsSaver(opts.memoryThreads), close: async () => undefined };
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
