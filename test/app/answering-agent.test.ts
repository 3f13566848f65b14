import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnsweringAgent } from '../../src/app/answering-agent.js';
import { loadConfig } from '../../src/config/config.js';
import { Metrics } from '../../src/observability/metrics.js';
import { closeCalculator } from '../../src/tools/index.js';
import { ask, calls, FAST_MODEL, InTestRetriever, MAIN_MODEL, rewriteReply, silentLogger } from '../agent/helpers.js';
import { FakeOpenAI } from '../fakes/openai-server.js';

describe('createAnsweringAgent: the one assembly behind cairn start, ask and eval', () => {
  let dir = '';
  let llm: FakeOpenAI;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-answering-agent-'));
    llm = await FakeOpenAI.start();
  });

  afterAll(async () => {
    await closeCalculator();
    await llm?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const config = (env: Record<string, string> = {}) => loadConfig({ CAIRN_DATA_DIR: dir, LOG_LEVEL: 'silent', ...env });

  it('answers from the retriever it is given, with the calculator, when no model is configured', async () => {
    const retriever = new InTestRetriever();
    const agent = createAnsweringAgent({ retriever, reranker: null, logger: silentLogger }, config());
    try {
      expect(agent.mode).toBe('extractive');
      const sum = await agent.answer(ask('What is 12 * 7?'));
      expect(sum.text).toBe('12 * 7 = 84');
      const leave = await agent.answer(ask('How many days of paid annual leave do employees get?'));
      expect(leave.citations[0]?.source).toBe('hr/leave.md');
      expect(retriever.searches.map((s) => s.query)).toEqual(['How many days of paid annual leave do employees get?']);
    } finally {
      await agent.close();
    }
  }, 30_000);

  it('counts model calls in the metrics it is given', async () => {
    llm.when(calls.rewrite, rewriteReply('How many days of paid annual leave do employees get?', ['paid annual leave days']));
    llm.when(calls.answer, { content: 'All employees are entitled to 25 days of paid annual leave per calendar year [1].' });
    const metrics = new Metrics();
    const agent = createAnsweringAgent(
      { retriever: new InTestRetriever(), reranker: null, logger: silentLogger },
      config({ OPENAI_BASE_URL: llm.baseURL, LLM_MODEL: MAIN_MODEL, LLM_FAST_MODEL: FAST_MODEL, LLM_MAX_RETRIES: '0' }),
      { metrics },
    );
    try {
      expect(agent.mode).toBe('agent');
      const reply = await agent.answer(ask('How many days of paid annual leave do employees get?'));
      expect(reply.mode).toBe('agent');
      expect(await metrics.registry.getSingleMetricAsString('cairn_llm_latency_seconds')).toMatch(/cairn_llm_latency_seconds_count\{model="main-model",purpose="answer"\} 1/);
    } finally {
      await agent.close();
    }
  }, 30_000);
});
