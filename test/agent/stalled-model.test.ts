import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-server.js';
import { ask, calls, citationsConsistent, makeAgent, testConfig, type TestConfigOverrides } from './helpers.js';

/** The first search answers it, so the answer call is the only model call. */
const QUESTION = 'How many days of paid annual leave do employees get per year?';
const ANSWER = 'All employees are entitled to 25 days of paid annual leave per calendar year [1]. Unused leave of up to 5 days can be carried over [1].';
const FALLBACK = /^The language model is unavailable right now \((.+?)\)\. Here are the most relevant passages from the docs:/;

/**
 * A model server that stops answering must cost the asker seconds, not minutes: the client's own
 * timeout stops at the headers and applies per attempt, so these drive the real ChatOpenAI client
 * against a server that stalls, with short configured limits (the defaults are measured in
 * bench/llm-faults.ts). Bounds are generous: several times the limit, far below what a stall cost.
 */
describe('a stalled or failing language model', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => fake.reset());

  const agentWith = (over: TestConfigOverrides) => makeAgent(fake, { config: testConfig(fake.baseURL, { maxRetries: 2, ...over }) }).agent;

  async function timedAnswer(agent: ReturnType<typeof agentWith>, question = QUESTION) {
    const started = Date.now();
    const reply = await agent.answer(ask(question));
    return { reply, ms: Date.now() - started, notice: FALLBACK.exec(reply.text)?.[1] };
  }

  it('a stream that stalls after its first chunk is cut at the idle limit and answered from the passages', async () => {
    fake.when(calls.answer, { content: ANSWER, afterChunks: 2 });
    const { reply, ms, notice } = await timedAnswer(agentWith({ idleTimeoutMs: 500, timeoutMs: 20_000 }));

    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(3000);
    expect(reply.mode).toBe('extractive');
    expect(notice).toBe('it stopped responding');
    expect(reply.citations[0]).toMatchObject({ source: 'hr/leave.md' });
    expect(citationsConsistent(reply)).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('a server that accepts the request and never answers is cut at the idle limit, without retries', async () => {
    fake.when(calls.answer, { neverAnswer: true });
    const { ms, notice } = await timedAnswer(agentWith({ idleTimeoutMs: 500, timeoutMs: 20_000 }));

    expect(ms).toBeLessThan(3000);
    expect(notice).toBe('it stopped responding');
    // Retrying a silent server only multiplies the wait.
    expect(fake.requests).toHaveLength(1);
  });

  it('a stream that keeps trickling is cut at the overall deadline', async () => {
    fake.when(calls.answer, { content: ANSWER.repeat(3), chunkDelayMs: 100 });
    const { reply, ms, notice } = await timedAnswer(agentWith({ idleTimeoutMs: 500, timeoutMs: 1000 }));

    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(4000);
    expect(notice).toBe('it did not answer within 1 s');
    expect(reply.citations.length).toBeGreaterThan(0);
  });

  it('a connection dropped mid-stream is the model being unavailable, not an internal error', async () => {
    fake.when(calls.answer, { content: ANSWER, afterChunks: 2, hangUp: true });
    const { reply, notice } = await timedAnswer(agentWith({}));

    expect(reply.mode).toBe('extractive');
    expect(notice).toBe('it dropped the connection');
  });

  it('a rate-limited server (HTTP 429) is named as overloaded', async () => {
    fake.when(calls.answer, { status: 429, errorMessage: 'Rate limit reached' });
    const { notice } = await timedAnswer(agentWith({ maxRetries: 0 }));
    expect(notice).toBe('it is overloaded');
  });

  describe('circuit breaker', () => {
    it('after N failures in a row answers at once without calling the model, then probes after the cool-down', async () => {
      const agent = agentWith({ maxRetries: 0, breaker: { failures: 2, cooldownMs: 1500 } });
      fake.when(calls.answer, { status: 500, errorMessage: 'CUDA out of memory' }, 2);

      for (let i = 0; i < 2; i += 1) expect((await timedAnswer(agent)).notice).toBe('it returned an error');
      expect(agent.llmCircuit()).toBe('open');

      const open = await timedAnswer(agent);
      expect(open.ms).toBeLessThan(1000);
      expect(open.notice).toMatch(/^it failed several times in a row; I will try it again in about [12] s$/);
      expect(open.reply.citations[0]).toMatchObject({ source: 'hr/leave.md' });
      expect(fake.requests).toHaveLength(2);

      fake.when(calls.answer, { content: ANSWER });
      await new Promise((resolve) => setTimeout(resolve, 1600));
      expect(agent.llmCircuit()).toBe('half-open');
      const probed = await timedAnswer(agent);
      expect(probed.reply.mode).toBe('agent');
      expect(probed.reply.text).toContain('25 days of paid annual leave');
      expect(agent.llmCircuit()).toBe('closed');
    });

    it('lets exactly one probe through after the cool-down; a failed probe opens it again', async () => {
      const agent = agentWith({ maxRetries: 0, idleTimeoutMs: 800, breaker: { failures: 1, cooldownMs: 300 } });
      fake.when(calls.answer, { status: 503 }, 1);
      await timedAnswer(agent);
      expect(agent.llmCircuit()).toBe('open');
      await new Promise((resolve) => setTimeout(resolve, 350));

      fake.when(calls.answer, { neverAnswer: true });
      const probe = timedAnswer(agent);
      // The probe's request reaches the server within its idle limit even on a loaded machine.
      await vi.waitFor(() => expect(fake.requests).toHaveLength(2), { timeout: 700, interval: 10 });
      const meanwhile = await timedAnswer(agent, 'How do I connect to the VPN?');
      expect(meanwhile.ms).toBeLessThan(600);
      expect(meanwhile.notice).toMatch(/failed several times in a row/);
      expect(fake.requests).toHaveLength(2);

      expect((await probe).notice).toBe('it stopped responding');
      expect(agent.llmCircuit()).toBe('open');
    });

    it('an asker who gives up does not count as a failure of the model', async () => {
      const agent = agentWith({ breaker: { failures: 1, cooldownMs: 60_000 } });
      fake.when(calls.answer, { neverAnswer: true });
      const gaveUp = agent.answer(ask(QUESTION, { signal: AbortSignal.timeout(200) }));
      await expect(gaveUp).rejects.toThrow();
      expect(agent.llmCircuit()).toBe('closed');
    });
  });
});
