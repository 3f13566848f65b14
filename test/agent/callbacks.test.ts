import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LangChainMetricsHandler } from '../../src/observability/langchain-metrics.js';
import { Metrics } from '../../src/observability/metrics.js';
import { FakeOpenAI } from '../fakes/openai-server.js';
import { ask, calls, makeAgent, rewriteReply } from './helpers.js';

describe('LangChain callbacks', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });

  it('see every model call tagged with its purpose, and every tool run', async () => {
    fake.when(calls.rewrite, { ...rewriteReply('How do I connect to the VPN?', []), usage: { promptTokens: 50, completionTokens: 10 } });
    fake.when(calls.answer, { toolCalls: [{ name: 'search_docs', arguments: { query: 'VPN WireGuard' } }], usage: { promptTokens: 300, completionTokens: 5 } }, 1);
    fake.when(calls.answer, { content: 'Install WireGuard and import the profile from the IT portal [1].', usage: { promptTokens: 400, completionTokens: 20 } });
    const metrics = new Metrics({ defaultMetrics: false });
    const { agent } = makeAgent(fake, { callbacks: [new LangChainMetricsHandler(metrics)] });
    const reply = await agent.answer(ask('I am at home and the dashboards will not load, what do I do?'));

    expect(reply.llm).toEqual({ calls: 3, promptTokens: 750, completionTokens: 35 });
    const tokens = (await metrics.llmTokens.get()).values.map((v) => [v.labels.purpose, v.labels.kind, v.value]);
    expect(tokens).toEqual(expect.arrayContaining([['rewrite', 'prompt', 50], ['answer', 'prompt', 700], ['answer', 'completion', 25]]));
    const tools = (await metrics.toolCalls.get()).values.map((v) => [v.labels.tool, v.labels.outcome, v.value]);
    expect(tools).toEqual([['search_docs', 'ok', 1]]);
  });
});
