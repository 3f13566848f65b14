import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerReply } from '../../src/core/answer.js';
import { FakeOpenAI } from '../fakes/openai-server.js';
import { ask, calls, makeAgent, rewriteReply } from './helpers.js';

const CONFIDENT = 'How many days of paid annual leave do employees get per year?';
const VAGUE = 'I am at home and the dashboards will not load, what do I do?';
const VPN_ANSWER = 'Install WireGuard and import the profile from the IT portal [1]. The VPN is required for internal dashboards [1].';

/**
 * The budget: at most 3 model calls for a question answered from one retrieval, and
 * orchestration under 5% of the time of an answer whose model calls take a fixed time.
 */
describe('cost per answer on the common path', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => fake.reset());

  const report: Record<string, AnswerReply['llm']> = {};
  afterAll(() => console.info('model calls and tokens per answer:', JSON.stringify(report)));

  it('a question the first search answers: 1 call', async () => {
    fake.when(calls.answer, { content: 'Employees get 25 days of paid annual leave per calendar year [1].' });
    const reply = await makeAgent(fake).agent.answer(ask(CONFIDENT));
    report.confident = reply.llm;
    expect(reply.grounding.verdict).toBe('supported');
    expect(reply.llm.calls).toBe(1);
  });

  it('a question that needs rewriting: 2 calls (rewrite with the fast model, answer)', async () => {
    fake.when(calls.rewrite, rewriteReply('How do I connect to the VPN?', ['VPN WireGuard profile', 'remote access internal dashboards']));
    fake.when(calls.answer, { content: VPN_ANSWER });
    const reply = await makeAgent(fake).agent.answer(ask(VAGUE));
    report.rewritten = reply.llm;
    expect(reply.grounding.verdict).toBe('supported');
    expect(reply.llm.calls).toBe(2);
  });

  it('rewriting plus a borderline sentence to check: 3 calls, the most on the common path', async () => {
    fake.when(calls.rewrite, rewriteReply('How do I connect to the VPN?', ['VPN WireGuard profile']));
    fake.when(calls.answer, { content: 'Remote staff typically reach dashboards by installing WireGuard [1].' });
    fake.when(calls.judge, { content: '{"supported": [1]}' });
    const reply = await makeAgent(fake).agent.answer(ask(VAGUE));
    report.rewrittenAndJudged = reply.llm;
    expect(reply.grounding.verdict).toBe('supported');
    expect(reply.llm.calls).toBe(3);
  });

  // 1 s is what a short answer from a hosted model takes. The goal is 5%; the test guards at 10%
  // because a loaded CI machine stretches LangGraph's per-step cost several times over. The
  // printed figure is what this run measured.
  it('orchestration stays a small share of an answer whose model calls take 1 s each', async () => {
    const latencyMs = 1000;
    fake.when(calls.rewrite, { ...rewriteReply('How do I connect to the VPN?', ['VPN WireGuard profile', 'remote access internal dashboards']), delayMs: latencyMs });
    fake.when(calls.answer, { content: VPN_ANSWER, delayMs: latencyMs });
    const { agent } = makeAgent(fake);
    await agent.answer(ask(VAGUE)); // warm-up: first-call JIT and connection set-up
    const outside: number[] = [];
    const wire: number[] = [];
    for (let i = 0; i < 2; i++) {
      const reply = await agent.answer(ask(VAGUE));
      const total = reply.timingsMs.total!;
      // Orchestration: everything outside the model calls (graph, retrieval, prompts, grounding).
      outside.push((total - reply.timingsMs.llm!) / total);
      // Stricter: the HTTP client and SSE parsing count as overhead too.
      wire.push((total - reply.llm.calls * latencyMs) / total);
    }
    const best = (xs: number[]) => Math.min(...xs);
    console.info(`orchestration overhead at ${latencyMs} ms per model call: ${(best(outside) * 100).toFixed(1)}% outside model calls, ${(best(wire) * 100).toFixed(1)}% counting the HTTP client`);
    expect(best(outside)).toBeLessThan(0.1);
  });
});
