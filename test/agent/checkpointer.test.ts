import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Annotation, StateGraph, type BaseCheckpointSaver } from '@langchain/langgraph';
import { afterEach, describe, expect, it } from 'vitest';
import { createCheckpointer, type Checkpointer } from '../../src/agent/checkpointer.js';
import { createPostgresCheckpointer } from '../../src/agent/checkpointer-postgres.js';
import { DATABASE_URL, errorRecorder, pgSchema, silent, skipWithout } from '../shared-state/helpers.js';

/** A graph that appends each input to its thread's list: what a thread remembers is visible at once. */
function notebook(saver: BaseCheckpointSaver) {
  const State = Annotation.Root({ notes: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }) });
  return new StateGraph(State).addNode('keep', () => ({})).addEdge('__start__', 'keep').addEdge('keep', '__end__').compile({ checkpointer: saver });
}

const write = async (saver: BaseCheckpointSaver, thread: string, note: string): Promise<string[]> =>
  (await notebook(saver).invoke({ notes: [note] }, { configurable: { thread_id: thread }, durability: 'exit' })).notes;

type Factory = () => Promise<{ checkpointer: Checkpointer; cleanup: () => Promise<void> }>;

/** The behaviour every thread memory must have. */
function runCheckpointerContract(name: string, make: Factory, skip = false): void {
  describe.skipIf(skip)(`Checkpointer contract: ${name}`, () => {
    let made: Awaited<ReturnType<Factory>> | undefined;
    afterEach(async () => {
      await made?.cleanup();
      made = undefined;
    });

    it('carries a thread over to its next answer, and keeps threads apart', async () => {
      const { saver } = (made = await make()).checkpointer;
      expect(await write(saver, 'slack:C1:1.1', 'first')).toEqual(['first']);
      expect(await write(saver, 'slack:C1:2.2', 'other')).toEqual(['other']);
      expect(await write(saver, 'slack:C1:1.1', 'second')).toEqual(['first', 'second']);
    });

    it('forgets a deleted thread', async () => {
      const { saver } = (made = await make()).checkpointer;
      await write(saver, 'slack:C1:1.1', 'first');
      await saver.deleteThread('slack:C1:1.1');
      expect(await write(saver, 'slack:C1:1.1', 'again')).toEqual(['again']);
    });
  });
}

runCheckpointerContract('memory', async () => ({ checkpointer: createCheckpointer('memory', { dataDir: '', memoryThreads: 10 }), cleanup: async () => undefined }));

runCheckpointerContract('sqlite', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-threads-'));
  const checkpointer = createCheckpointer('sqlite', { dataDir, memoryThreads: 10 });
  return { checkpointer, cleanup: async () => (await checkpointer.close(), fs.rmSync(dataDir, { recursive: true, force: true })) };
});

runCheckpointerContract(
  `postgres at DATABASE_URL${skipWithout('DATABASE_URL', DATABASE_URL)}`,
  async () => {
    const { schema, drop } = pgSchema();
    const errors = errorRecorder();
    const checkpointer = createCheckpointer('postgres', { dataDir: '', memoryThreads: 10, postgres: { url: DATABASE_URL!, retentionDays: 30, logger: silent, schema, onError: errors.sink } });
    return {
      checkpointer,
      cleanup: async () => {
        await checkpointer.close();
        await drop();
        // Every call reached PostgreSQL: the resilient saver would otherwise hide a failure.
        expect(errors.errors).toEqual([]);
      },
    };
  },
  !DATABASE_URL,
);

describe.skipIf(!DATABASE_URL)(`postgres thread memory across replicas${skipWithout('DATABASE_URL', DATABASE_URL)}`, () => {
  it('a follow-up on another replica finds the thread; threads past the retention are pruned', async () => {
    const { schema, drop } = pgSchema();
    const a = createPostgresCheckpointer({ url: DATABASE_URL!, retentionDays: 30, logger: silent, schema });
    const b = createPostgresCheckpointer({ url: DATABASE_URL!, retentionDays: 30, logger: silent, schema });
    try {
      await write(a.saver, 'slack:C1:1.1', 'asked on replica a');
      expect(await write(b.saver, 'slack:C1:1.1', 'followed up on b')).toEqual(['asked on replica a', 'followed up on b']);
      expect(await a.prune()).toBe(0);
      expect(await a.prune(Date.now() + 31 * 86_400_000)).toBe(1);
      expect(await write(b.saver, 'slack:C1:1.1', 'after pruning')).toEqual(['after pruning']);
    } finally {
      await a.close();
      await b.close();
      await drop();
    }
  });
});

describe('postgres thread memory with PostgreSQL unreachable', () => {
  it('answers without memory, marks the thread for a caveat, and reports', async () => {
    const errors = errorRecorder();
    const c = createPostgresCheckpointer({ url: 'postgres://postgres@127.0.0.1:1/none', retentionDays: 30, logger: silent, onError: errors.sink });
    try {
      expect(await write(c.saver, 'slack:C1:1.1', 'first')).toEqual(['first']);
      expect(c.saver.takeFailure('slack:C1:1.1')).toBe(true);
      expect(c.saver.takeFailure('slack:C1:1.1')).toBe(false);
      expect(errors.stores).toContain('checkpoints');
    } finally {
      await c.close();
    }
  });
});
