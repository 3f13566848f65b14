import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/core/answer.js';
import { FakeOpenAI } from '../fakes/openai-server.js';
import { ask, calls, makeAgent, MAIN_MODEL } from './helpers.js';

const QUESTION = 'How many days of paid annual leave do employees get per year?';
const ANSWER = 'Employees get 25 days of paid annual leave per calendar year [1]. Up to 5 unused days can be carried over to the next year [1].';

describe('progress: status steps and the streamed draft', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => fake.reset());

  it('reports each step and streams the draft as it is written, long before the reply is done', async () => {
    fake.when(calls.answer, { content: ANSWER, chunkDelayMs: 15 });
    const { agent } = makeAgent(fake);
    const events: Array<ProgressEvent & { at: number }> = [];
    const started = Date.now();
    const reply = await agent.answer(ask(QUESTION, { onProgress: (e) => events.push({ ...e, at: Date.now() - started }) }));
    const finished = Date.now() - started;

    const steps = events.filter((e) => e.kind === 'status').map((e) => (e.kind === 'status' ? e.step : ''));
    expect(steps).toEqual(['routing', 'retrieving', 'grading', 'thinking', 'checking']);
    const drafts = events.filter((e) => e.kind === 'draft').map((e) => (e.kind === 'draft' ? e.text : ''));
    expect(drafts.length).toBeGreaterThan(5);
    drafts.slice(1).forEach((text, i) => expect(text.startsWith(drafts[i]!)).toBe(true));
    expect(drafts.at(-1)).toBe(ANSWER);
    // The first words reach the user while the model is still writing.
    expect(events.find((e) => e.kind === 'draft')!.at).toBeLessThan(finished - 100);
    expect(fake.bodies.find((b) => b.model === MAIN_MODEL)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(reply.llm.completionTokens).toBeGreaterThan(0);
  });

  it('with streaming off, shows no drafts; a throwing callback costs nothing', async () => {
    fake.when(calls.answer, { content: ANSWER });
    const { agent } = makeAgent(fake, { options: { streaming: false } });
    const kinds: string[] = [];
    const reply = await agent.answer(ask(QUESTION, { onProgress: (e) => { kinds.push(e.kind); throw new Error('chat surface hiccup'); } }));
    expect(kinds).not.toContain('draft');
    expect(kinds.length).toBeGreaterThan(0);
    expect(reply.grounding.verdict).toBe('supported');
  });
});
