import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RecentThreadsSaver } from '../../src/agent/checkpointer.js';
import { threadKey } from '../../src/core/answer.js';
import { FakeOpenAI, messageText } from '../fakes/openai-server.js';
import { ask, calls, makeAgent, MAIN_MODEL, rewriteReply, testConfig } from './helpers.js';

const FIRST = 'How many days of paid annual leave do employees get per year?';

describe('thread memory (LangGraph checkpointer keyed by platform + channel + thread)', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => {
    fake.reset();
    fake.when(calls.answer, { content: 'Employees get 25 days of paid annual leave per calendar year [1].' }, 1);
    fake.when(calls.rewrite, rewriteReply('How many unused annual leave days can be carried over?', ['carry over unused leave']));
    fake.when(calls.answer, { content: 'Up to 5 unused days can be carried over to the next year [1].' });
  });

  const rewritePrompt = () => messageText(fake.bodies.find((b) => calls.rewrite(b))?.messages.at(-1));
  const lastAnswerRoles = () => fake.bodies.filter((b) => b.model === MAIN_MODEL).at(-1)?.messages.map((m) => m.role);

  it('resolves a follow-up against the thread’s earlier turns, even when the chat surface sends none', async () => {
    const { agent } = makeAgent(fake);
    const t1 = threadKey(ask(FIRST, { threadId: 'T1' }))!;
    expect(await agent.remembers!(t1)).toBe(false);
    await agent.answer(ask(FIRST, { threadId: 'T1' }));
    // What lets a chat surface skip reading the thread from the platform.
    expect(await agent.remembers!(t1)).toBe(true);
    expect(await agent.remembers!(threadKey(ask(FIRST, { threadId: 'T2' }))!)).toBe(false);
    const reply = await agent.answer(ask('and how many can I carry over?', { threadId: 'T1' }));

    expect(rewritePrompt()).toContain(`user: ${FIRST}`);
    expect(rewritePrompt()).toContain('assistant: Employees get 25 days');
    expect(lastAnswerRoles()).toEqual(['system', 'user', 'assistant', 'user']);
    expect(reply.text).toContain('carried over');
  });

  it('keeps threads apart: another thread, channel or platform starts empty', async () => {
    const { agent } = makeAgent(fake);
    await agent.answer(ask(FIRST, { threadId: 'T1' }));
    await agent.answer(ask('and how many can I carry over?', { threadId: 'T1', platform: 'discord' }));
    expect(rewritePrompt()).toContain('(none)');
    expect(threadKey({ platform: 'slack', channelId: 'C1', threadId: 'T1' })).not.toBe(threadKey({ platform: 'discord', channelId: 'C1', threadId: 'T1' }));
  });

  it('uses the history the chat surface sent when the checkpointer has nothing for the thread', async () => {
    const { agent } = makeAgent(fake);
    fake.reset();
    fake.when(calls.rewrite, rewriteReply('How many unused annual leave days can be carried over?', []));
    fake.when(calls.answer, { content: 'Up to 5 unused days can be carried over to the next year [1].' });
    await agent.answer(ask('and how many can I carry over?', { threadId: 'T9', history: [{ role: 'user', text: 'Tell me about annual leave' }] }));
    expect(rewritePrompt()).toContain('user: Tell me about annual leave');
  });

  it('survives a restart with the SQLite checkpointer', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cairn-threads-'));
    const config = testConfig(fake.baseURL, { checkpointer: 'sqlite', dataDir });
    const before = makeAgent(fake, { config }).agent;
    await before.answer(ask(FIRST, { threadId: 'T1' }));
    await before.close();

    const after = makeAgent(fake, { config }).agent;
    expect(await after.remembers!(threadKey(ask(FIRST, { threadId: 'T1' }))!)).toBe(true);
    await after.answer(ask('and how many can I carry over?', { threadId: 'T1' }));
    await after.close();
    rmSync(dataDir, { recursive: true, force: true });
    expect(rewritePrompt()).toContain(`user: ${FIRST}`);
  });
});

describe('RecentThreadsSaver', () => {
  it('keeps only each thread’s latest checkpoint and forgets the least recently used thread beyond its cap', async () => {
    const saver = new RecentThreadsSaver(2);
    const put = async (thread: string, id: string) => {
      const checkpoint = { v: 4, id, ts: new Date().toISOString(), channel_values: { turns: [id] }, channel_versions: {}, versions_seen: {} };
      await saver.put({ configurable: { thread_id: thread, checkpoint_ns: '' } }, checkpoint, { source: 'loop', step: 1, parents: {} });
    };
    await put('a', '1');
    await put('a', '2');
    expect(Object.keys(saver.storage.a?.[''] ?? {})).toEqual(['2']);
    expect((await saver.getTuple({ configurable: { thread_id: 'a' } }))?.checkpoint.channel_values).toEqual({ turns: ['2'] });
    await put('b', '1');
    await put('a', '3');
    await put('c', '1');
    expect(Object.keys(saver.storage).sort()).toEqual(['a', 'c']);
  });
});
