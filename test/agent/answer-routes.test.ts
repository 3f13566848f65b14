import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ArithmeticAnswerer } from '../../src/agent/tools/toolset.js';
import { isCairnError } from '../../src/core/errors.js';
import { looksLikeArithmetic } from '../../src/tools/calculator/arithmetic-question.js';
import { evaluateInProcess } from '../../src/tools/calculator/restricted-math.js';
import { FakeOpenAI, messageText } from '../fakes/openai-server.js';
import { ask, calls, citationsConsistent, makeAgent, MAIN_MODEL, testConfig } from './helpers.js';

/** The real calculator, evaluated in-process: its worker thread takes seconds to start from sources. */
const arithmetic: ArithmeticAnswerer = { extract: looksLikeArithmetic, evaluate: async (e) => evaluateInProcess(e) };

describe('answer(): routes without retrieval, failures, and the extractive mode', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => fake.reset());

  it('small talk: no retrieval, no tools, one short model call, nothing to ground', async () => {
    fake.when(calls.answer, { content: "You're welcome! Ask me anything about the docs." });
    const { agent, retriever } = makeAgent(fake);
    const reply = await agent.answer(ask('thanks!'));

    expect(retriever.searches).toEqual([]);
    expect(fake.bodies).toHaveLength(1);
    expect(fake.bodies[0]?.tools).toBeUndefined();
    expect(messageText(fake.bodies[0]?.messages[0])).toContain('small talk');
    expect(reply).toMatchObject({ text: "You're welcome! Ask me anything about the docs.", citations: [], grounding: { verdict: 'not_needed', confidence: 1 }, mode: 'agent' });
    expect(reply.llm.calls).toBe(1);
  });

  it('pure arithmetic: answered by the calculator with no model call and no retrieval', async () => {
    const { agent, retriever } = makeAgent(fake, { arithmetic });
    const reply = await agent.answer(ask('what is 17% of 2,340?'));

    expect(reply.text).toBe('17 / 100 * (2340) = 397.8');
    expect(reply.toolsUsed).toEqual(['calculator']);
    expect(reply.llm.calls).toBe(0);
    expect(fake.bodies).toEqual([]);
    expect(retriever.searches).toEqual([]);
    expect(reply.grounding.verdict).toBe('not_needed');
  });

  it('an LLM timeout falls back to quoting passages and says the model is unavailable', async () => {
    fake.enqueue({ content: 'too late', delayMs: 3000 });
    const { agent } = makeAgent(fake, { config: testConfig(fake.baseURL, { timeoutMs: 300 }) });
    const started = Date.now();
    const reply = await agent.answer(ask('How many days of paid annual leave do employees get per year?'));

    expect(Date.now() - started).toBeLessThan(2500);
    expect(reply.mode).toBe('extractive');
    expect(reply.text).toMatch(/^The language model is unavailable right now \(it did not answer within 0\.3 s\)\. Here are the most relevant passages/);
    expect(reply.text).toContain('All employees are entitled to 25 days of paid annual leave per calendar year.');
    expect(reply.citations[0]).toMatchObject({ n: 1, source: 'hr/leave.md' });
    expect(citationsConsistent(reply)).toBe(true);
    expect(reply.llm.calls).toBe(1);
    expect(reply.text).not.toMatch(/\bat\s+\S+:\d+|Error:|127\.0\.0\.1/);
  });

  it('an HTTP 500 from the model server gets the same clear fallback', async () => {
    fake.when(() => true, { status: 500, errorMessage: 'CUDA out of memory' });
    const { agent } = makeAgent(fake);
    const reply = await agent.answer(ask('How many days of paid annual leave do employees get per year?'));

    expect(reply.mode).toBe('extractive');
    expect(reply.text).toMatch(/^The language model is unavailable right now \(it returned an error\)\./);
    expect(reply.text).not.toContain('CUDA');
    expect(reply.citations.length).toBeGreaterThan(0);
  });

  it('a model server that is not running gets the same clear fallback', async () => {
    const { agent } = makeAgent(null, { config: testConfig('http://127.0.0.1:9/v1') });
    const reply = await agent.answer(ask('How do I connect to the VPN?'));
    expect(reply.mode).toBe('extractive');
    expect(reply.text).toMatch(/^The language model is unavailable right now \(it could not be reached\)\./);
    expect(reply.citations[0]?.source).toBe('it/vpn.md');
  });

  it('a failing document index is not hidden: answer() rejects with its CairnError for the chat layer to report', async () => {
    const { agent, retriever } = makeAgent(fake);
    retriever.failOn = /./;
    const error = await agent.answer(ask('How do I connect to the VPN?')).catch((e: unknown) => e);
    expect(isCairnError(error, 'STORE_UNAVAILABLE')).toBe(true);
    expect(fake.bodies).toEqual([]);
  });

  describe('with no language model configured', () => {
    it('quotes the top passages with citations and says no model is configured', async () => {
      const { agent } = makeAgent(null);
      expect(agent.mode).toBe('extractive');
      const reply = await agent.answer(ask('How do I connect to the VPN?'));

      expect(reply.mode).toBe('extractive');
      // Pieces are quoted as the source wrote them (issue 14), no longer as "> " slices.
      expect(reply.text).toMatch(/^No language model is configured\. Here are the most relevant passages from the docs:\n\n\S/);
      expect(reply.text).toContain('install WireGuard and import the profile from the IT portal');
      expect(reply.citations[0]).toMatchObject({ n: 1, title: 'VPN access', source: 'it/vpn.md', chunkId: 'it/vpn.md#0' });
      expect(citationsConsistent(reply)).toBe(true);
      expect(reply.llm).toEqual({ calls: 0, promptTokens: 0, completionTokens: 0 });
      expect(reply.grounding.verdict).toBe('supported');
    });

    it('still answers arithmetic with the calculator, and says plainly when nothing matches', async () => {
      const { agent } = makeAgent(null, { arithmetic });
      expect((await agent.answer(ask('(3 + 4) ^ 2'))).text).toBe('(3 + 4) ^ 2 = 49');
      const none = await agent.answer(ask('What is the dress policy for the gala?'));
      expect(none.text).toBe("No language model is configured. I couldn't find that in the docs.");
      expect(none.citations).toEqual([]);
      expect(none.grounding.verdict).toBe('unsupported');
    });
  });

  it('the model sees only the question’s own turn when the request has no thread', async () => {
    fake.when(calls.answer, { content: 'Employees get 25 days of paid annual leave per calendar year [1].' });
    const { agent } = makeAgent(fake);
    await agent.answer(ask('How many days of paid annual leave do employees get per year?'));
    const roles = fake.bodies.find((b) => b.model === MAIN_MODEL)?.messages.map((m) => m.role);
    expect(roles).toEqual(['system', 'user']);
  });
});
