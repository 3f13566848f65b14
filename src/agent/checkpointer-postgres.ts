import type { RunnableConfig } from '@langchain/core/runnables';
import { BaseCheckpointSaver, type Checkpoint, type CheckpointMetadata, type CheckpointTuple } from '@langchain/langgraph';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type pg from 'pg';
import type { Logger } from '../core/logger.js';
import type { SharedStateErrorSink } from '../shared-state/errors.js';
import { createPgPool, quoteSchema, withAdvisoryLock } from '../shared-state/postgres.js';
import { untilDone } from '../core/until-done.js';

export interface PostgresCheckpointerOptions {
  url: string;
  /** Threads whose latest checkpoint is older than this are deleted (at start and daily). */
  retentionDays: number;
  /** Tests use their own schema; Cairn uses `cairn`. */
  schema?: string;
  logger: Logger;
  onError?: SharedStateErrorSink;
}

const DAY_MS = 86_400_000;

// Not re-exported by @langchain/langgraph; taken from the saver's own signatures.
type CheckpointListOptions = Parameters<BaseCheckpointSaver['list']>[1];
type ChannelVersions = Parameters<BaseCheckpointSaver['put']>[3];
type PendingWrite = Parameters<BaseCheckpointSaver['putWrites']>[1][number];

/**
 * Thread memory in PostgreSQL, shared by every replica: a follow-up reaching another replica finds
 * the thread's turns without asking the platform. Tables are created on first use under an
 * advisory lock. PostgreSQL failing, answers go on without memory (ResilientSaver) and say so.
 */
export function createPostgresCheckpointer(opts: PostgresCheckpointerOptions): { saver: ResilientSaver; close(): Promise<void>; prune(now?: number): Promise<number> } {
  const schema = opts.schema ?? 'cairn';
  const pool = createPgPool(opts.url);
  const inner = new PostgresSaver(pool, undefined, { schema });
  const saver = new ResilientSaver(inner, () => withAdvisoryLock(pool, `cairn-checkpoints:${schema}`, () => inner.setup()), opts.onError ?? (() => undefined));
  const prune = async (now = Date.now()): Promise<number> => {
    await saver.ready();
    return pruneThreads(pool, schema, new Date(now - opts.retentionDays * DAY_MS));
  };
  const pruneQuietly = () =>
    prune().then(
      (n) => n > 0 && opts.logger.info({ threads: n, retentionDays: opts.retentionDays }, 'pruned old thread memory'),
      (err: unknown) => opts.logger.warn({ err }, 'could not prune old thread memory; trying again later'),
    );
  void pruneQuietly();
  const timer = setInterval(() => void pruneQuietly(), DAY_MS);
  timer.unref();
  return {
    saver,
    prune,
    close: async () => {
      clearInterval(timer);
      await pool.end();
    },
  };
}

/**
 * Deletes every thread whose newest checkpoint was written before `cutoff` (checkpoint `ts` is
 * an ISO timestamp, so text order is time order), with its blobs and writes.
 */
async function pruneThreads(pool: pg.Pool, schema: string, cutoff: Date): Promise<number> {
  const s = quoteSchema(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const old = await client.query<{ thread_id: string }>(
      `SELECT thread_id FROM ${s}.checkpoints GROUP BY thread_id HAVING max(checkpoint->>'ts') < $1`,
      [cutoff.toISOString()],
    );
    const ids = old.rows.map((r) => r.thread_id);
    if (ids.length > 0) {
      for (const table of ['checkpoint_writes', 'checkpoint_blobs', 'checkpoints']) {
        await client.query(`DELETE FROM ${s}.${table} WHERE thread_id = ANY($1)`, [ids]);
      }
    }
    await client.query('COMMIT');
    return ids.length;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * A saver that never fails an answer: a read that fails finds no memory (the answer goes on with
 * the platform's history), a write that fails is dropped. Either is reported, and the thread is
 * marked so the reply can say its memory was unavailable. Setup is retried until it succeeds.
 */
export class ResilientSaver extends BaseCheckpointSaver {
  /** Creates the tables once; a failed attempt is retried by the next call. */
  readonly ready: () => Promise<void>;
  private readonly failed = new Set<string>();

  constructor(private readonly inner: BaseCheckpointSaver, setup: () => Promise<void>, private readonly onError: SharedStateErrorSink) {
    super(inner.serde);
    this.ready = untilDone(setup);
  }

  /** True once per failure: whether the last answer in this thread ran without its memory. */
  takeFailure(threadId: string): boolean {
    return this.failed.delete(threadId);
  }

  private fail(config: RunnableConfig, err: unknown): void {
    const thread = config.configurable?.thread_id;
    if (thread !== undefined) this.failed.add(String(thread));
    this.onError('checkpoints', err);
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    try {
      await this.ready();
      return await this.inner.getTuple(config);
    } catch (err) {
      this.fail(config, err);
      return undefined;
    }
  }

  override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    try {
      await this.ready();
      yield* this.inner.list(config, options);
    } catch (err) {
      this.fail(config, err);
    }
  }

  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    try {
      await this.ready();
      return await this.inner.put(config, checkpoint, metadata, newVersions);
    } catch (err) {
      this.fail(config, err);
      return { configurable: { ...config.configurable, checkpoint_id: checkpoint.id } };
    }
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    try {
      await this.ready();
      await this.inner.putWrites(config, writes, taskId, taskPath);
    } catch (err) {
      this.fail(config, err);
    }
  }

  override async deleteThread(threadId: string): Promise<void> {
    await this.ready();
    await this.inner.deleteThread(threadId);
  }

  override getNextVersion(current: number | undefined): number {
    return this.inner.getNextVersion(current);
  }
}
