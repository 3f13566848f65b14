import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadPrompt } from '../../src/agent/prompts.js';
import { FeedbackStore } from '../../src/feedback/feedback-store.js';
import { toSftExample, writeSftFile, type SftExample } from '../../src/feedback/sft-export.js';
import { answerAndVote, LEAVE_CITATION, reply, request, scratchDir } from './helpers.js';

/**
 * The chat fine-tuning format TRL's SFTTrainer (conversational "messages") and OpenAI fine-tuning
 * accept: one system message first, then user and assistant turns alternating, starting with the
 * user and ending with the assistant, every content a non-empty string; besides the messages, only
 * the access-group metadata (trainers ignore unknown keys; `jq -c '{messages}'` strips it).
 */
const Message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().refine((s) => s.trim().length > 0, 'empty content') }).strict();
const SftLine = z
  .object({ messages: z.array(Message).min(3), metadata: z.object({ cited_groups: z.array(z.string()), conversation_groups: z.array(z.string()) }).strict() })
  .strict()
  .superRefine(({ messages }, ctx) => {
    if (messages[0]?.role !== 'system') ctx.addIssue({ code: 'custom', message: 'the first message must be the system prompt' });
    messages.slice(1).forEach((m, i) => {
      const want = i % 2 === 0 ? 'user' : 'assistant';
      if (m.role !== want) ctx.addIssue({ code: 'custom', message: `message ${i + 1} should be ${want}, is ${m.role}` });
    });
    if (messages.at(-1)?.role !== 'assistant') ctx.addIssue({ code: 'custom', message: 'the last message must be the assistant reply' });
  });

describe('SFT export of 👍 conversations', () => {
  let s: Awaited<ReturnType<typeof scratchDir>>;
  let store: FeedbackStore;
  beforeEach(async () => {
    s = await scratchDir();
    store = new FeedbackStore(s.dir);
    const thread = [
      { role: 'assistant' as const, text: 'Welcome to #hr!' },
      { role: 'user' as const, text: 'hi, I am jane.doe@example.com' },
      { role: 'user' as const, text: 'call me on +1 415 555 0100' },
      { role: 'assistant' as const, text: 'Hello Jane, the leave policy is in the handbook [1].' },
    ];
    await answerAndVote(store, 'r1', request('How many leave days do I get?', thread), reply('You get 25 days of paid leave a year [1].', [LEAVE_CITATION]), ['U1:up', 'U2:up']);
    await answerAndVote(store, 'r2', request('Is xoxb-123456789012-1234567890123-AbCdEfGhIjKl a valid bot token?'), reply("I couldn't find that in the docs."), ['U1:up']);
    await answerAndVote(store, 'r3', request('VPN?'), reply('No language model is configured. Here are the most relevant passages from the docs:\n\n> Install WireGuard [1]', [LEAVE_CITATION]), ['U1:up']);
    await answerAndVote(store, 'r4', request('Salary?'), reply('Lots.'), ['U1:down']);
    await answerAndVote(store, 'r5', request('Parking?'), reply('Level -2.'), ['U1:up', 'U2:down', 'U3:down']);
  });
  afterEach(async () => {
    store.close();
    await s.cleanup();
  });

  it('writes valid messages-format lines with the thread, the cited passages as sources and PII masked', async () => {
    const exchanges = store.voted({ vote: 'up' });
    expect(exchanges.map((e) => e.requestId)).toEqual(['r1', 'r2', 'r3']);
    const examples = exchanges.map((e) => toSftExample(e, new Map([[LEAVE_CITATION.chunkId, 'All employees are entitled to 25 days of paid annual leave per calendar year.']])));
    expect(examples[2]).toBeNull();
    const file = path.join(s.dir, 'out', 'sft.jsonl');
    await writeSftFile(file, examples.filter((x): x is SftExample => x !== null));

    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const parsed = lines.map((line) => SftLine.parse(JSON.parse(line)));
    const [first, second] = parsed as [SftExample, SftExample];
    expect(first.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant']);
    expect(first.messages[0]!.content).toBe(loadPrompt('answer-system').replaceAll('{{nonce}}', /<<source \[n\] (\w+)>>/.exec(first.messages[0]!.content)![1]!));
    // The leading assistant greeting is dropped; two user turns in a row are joined.
    expect(first.messages[1]!.content).toBe('hi, I am [EMAIL]\n\ncall me on [PHONE]');
    expect(first.messages[2]!.content).toBe('Hello Jane, the leave policy is in the handbook.');
    expect(first.messages[3]!.content).toMatch(/^How many leave days do I get\?\n\nSources found for this question/);
    expect(first.messages[3]!.content).toMatch(/<<source \[1\] \w{8}>>\ntitle: Annual leave\nfrom: docs\/hr\/leave.md\n---\nAll employees are entitled to 25 days of paid annual leave per calendar year\./);
    expect(first.messages[4]!.content).toBe('You get 25 days of paid leave a year [1].');
    expect(second.messages[1]!.content).toMatch(/^Is \[TOKEN\] a valid bot token\?/);
    expect(lines.join('\n')).not.toMatch(/jane\.doe@|xoxb-|415 555/);
  });

  it('keeps only answers with enough 👍 and since a date', () => {
    expect(store.voted({ vote: 'up', minVotes: 2 }).map((e) => e.requestId)).toEqual(['r1']);
    expect(store.voted({ vote: 'up', since: '2999-01-01T00:00:00.000Z' })).toEqual([]);
  });

  it('uses the citation snippet when the index no longer has the passage', () => {
    const example = toSftExample(store.voted({ vote: 'up' })[0]!)!;
    expect(example.messages.at(-2)!.content).toContain('All employees are entitled to 25 days…');
  });
});
