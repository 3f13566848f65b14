import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeCodeRunner } from '../../src/tools/sandbox/run-code.js';
import { createRunCodeTool } from '../../src/tools/sandbox/tool.js';
import { FakeOpenAI, messageText, type ChatCompletionBody } from '../fakes/openai-server.js';
import { ask, calls, makeAgent, MAIN_MODEL, rewriteReply } from './helpers.js';

const answerBodies = (fake: FakeOpenAI) => fake.bodies.filter((b: ChatCompletionBody) => b.model === MAIN_MODEL);

// The real sandbox, not a recorder: the Python the scripted model writes runs in Pyodide.
describe('answer() running Python through run_code', { timeout: 120_000 }, () => {
  let fake: FakeOpenAI;

  beforeAll(async () => {
    fake = await FakeOpenAI.start();
  });
  afterAll(async () => {
    closeCodeRunner();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('runs the model\'s Python and hands the printed result back to it', async () => {
    const code = 'import statistics\nprint(statistics.median([12, 3, 7, 41, 9]))';
    fake.when(calls.rewrite, rewriteReply('Run Python code to find the median of 12, 3, 7, 41 and 9 ms.', []));
    fake.when(calls.answer, { toolCalls: [{ name: 'run_code', arguments: { language: 'python', code } }] }, 1);
    fake.when(calls.answer, { content: 'statistics.median([12, 3, 7, 41, 9]) is 9, so the median is 9 ms.' });
    const { agent } = makeAgent(fake, { tools: [createRunCodeTool()] });
    const reply = await agent.answer(ask('Run Python code to find the median of 12, 3, 7, 41 and 9 ms.'));

    const toolResult = answerBodies(fake)[1]?.messages.at(-1);
    expect(toolResult?.role).toBe('tool');
    expect(messageText(toolResult)).toBe('stdout:\n9');
    expect(reply.toolsUsed).toEqual(['run_code']);
    expect(reply.text).toContain('9 ms');
  });

  it('offers run_code for an attached file, names it to the model, and the code reads it', async () => {
    fake.when(calls.rewrite, rewriteReply('What is the total amount in the attached sales file?', []));
    const code = 'import csv\nrows = list(csv.DictReader(open("/data/sales.csv")))\nsum(int(r["amount"]) for r in rows)';
    fake.when(calls.answer, { toolCalls: [{ name: 'run_code', arguments: { language: 'python', code } }] }, 1);
    fake.when(calls.answer, { content: 'The amounts in sales.csv add up to 42.' });
    const { agent } = makeAgent(fake, { tools: [createRunCodeTool()] });
    const files = [{ name: 'sales.csv', content: 'region,amount\nnorth,10\nsouth,32\n' }];
    await agent.answer(ask('What is the total amount in the attached sales file?', { files }));

    const [first, second] = answerBodies(fake);
    expect((first?.tools ?? []).map((t) => t.function.name)).toContain('run_code');
    expect(messageText(first?.messages.find((m) => m.role === 'user'))).toMatch(/\/data\/sales\.csv \(32 bytes\)/);
    expect(messageText(second?.messages.at(-1))).toBe('result: 42');
  });
});
