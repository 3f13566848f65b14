import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openEvalIndex, type EvalIndex } from '../../../src/eval/eval-index.js';
import { casesFromFeedback } from '../../../src/eval/answers/feedback-cases.js';
import { createJudge, evaluateCases } from '../../../src/eval/answers/index.js';
import { FeedbackStore } from '../../../src/feedback/feedback-store.js';
import { FakeOpenAI, match, messageText } from '../../fakes/openai-server.js';
import { answerAndVote, reply, request } from '../../feedback/helpers.js';
import { agentFactory, evalConfig, FIXTURE, hashEmbedder, JUDGE_MODEL, progress, scratchDir, silentLogger } from './helpers.js';

const LEAVE_Q = 'How many days of paid annual leave do employees get per year?';

describe('replaying 👎 feedback through the agent', () => {
  let s: Awaited<ReturnType<typeof scratchDir>>;
  let index: EvalIndex;
  let fake: FakeOpenAI;
  const embedder = hashEmbedder();
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });
  beforeEach(async () => {
    s = await scratchDir();
    // The "live" index: the fixture docs, as `cairn ingest` would index them.
    index = await openEvalIndex(FIXTURE, 'live', { config: evalConfig(s.dir, null), embedder, reranker: null, logger: silentLogger, progress: progress() });
  });
  afterEach(async () => {
    await index.close();
    await s.cleanup();
  });

  async function feedbackRows() {
    const store = new FeedbackStore(s.dir);
    try {
      await answerAndVote(store, 'r1', request(LEAVE_Q), reply('Employees get 30 days [1].'), ['U1:down']);
      await store.record({ requestId: 'r1', platform: 'slack', channelId: 'C42', userId: 'U1', vote: 'down', reason: 'it is 25 days', at: '2025-03-01T10:00:00.000Z' });
      await answerAndVote(store, 'r2', request('Can I bring my dog to work on Fridays?'), reply('Yes, dogs are welcome on Fridays.'), ['U2:down']);
      const rows = store.evalCases();
      // What a maintainer adds by hand after `cairn feedback export`.
      rows[0]!.answer.answer = '25 days of paid annual leave per calendar year.';
      rows[1]!.answer.answerable = false;
      return rows;
    } finally {
      store.close();
    }
  }

  it('reports whether each new answer differs from the rejected one, declines and cites, and judges it when a judge is set', async () => {
    fake.when(match.all(match.model(JUDGE_MODEL), match.lastUserIncludes('# Judge: faithfulness')), {
      content: JSON.stringify({ claims: [{ claim: '25 days', supported: true }], citations: [{ pair: 1, supported: true }, { pair: 2, supported: false }, { pair: 3, supported: false }] }),
    });
    fake.when(match.all(match.model(JUDGE_MODEL), match.lastUserIncludes('# Judge: answer relevancy')), { content: JSON.stringify({ questions: [LEAVE_Q, LEAVE_Q], noncommittal: false }) });
    fake.when(match.all(match.model(JUDGE_MODEL), match.lastUserIncludes('# Judge: context precision')), (body) => {
      const count = Number(/\((\d+) verdicts\)/.exec(messageText(body.messages.at(-1)))?.[1]);
      return { content: JSON.stringify({ useful: Array.from({ length: count }, (_, i) => i === 0) }) };
    });
    fake.when(match.all(match.model(JUDGE_MODEL), match.lastUserIncludes('# Judge: context recall')), { content: '{"statements": [{"statement": "25 days", "attributed": true}]}' });
    const agentConfig = evalConfig(s.dir, null);
    const { judge } = createJudge(evalConfig(s.dir, fake.baseURL, true).llm, embedder);

    const report = await evaluateCases(
      casesFromFeedback(await feedbackRows()),
      { config: agentConfig, embedder, logger: silentLogger, judge, retriever: index.retriever, accessGroups: index.accessGroups, docIdOf: (source) => source, makeAgent: agentFactory(agentConfig) },
      { source: 'feedback', name: 'feedback' },
    );

    expect(report).toMatchObject({ source: 'feedback', dataset: 'feedback', mode: 'extractive', judge: JUDGE_MODEL, questions: 2, answerable: 1 });
    const [r1, r2] = report.rows;
    expect(r1).toMatchObject({ id: 'r1', rejectedAnswer: 'Employees get 30 days [1].', reasons: ['it is 25 days'], declined: false });
    expect(r1!.answer).toContain('25 days of paid annual leave');
    expect(r1!.metrics).toMatchObject({ differs_from_rejected: 1, cited: 1, declines_answerable: 0, faithfulness: 1, answer_relevancy: expect.closeTo(1, 6), context_precision: 1, context_recall: 1 });
    expect(r1!.metrics.citation_precision).toBeCloseTo(1 / 3, 6);
    // No qrels for feedback cases: no gold-document metrics.
    expect(r1!.metrics.gold_doc_cited).toBeUndefined();
    expect(r2).toMatchObject({ id: 'r2', answerable: false });
    // Extractive mode now declines what the docs do not hold (issue 14): nothing mentions dogs.
    expect(r2!.metrics).toEqual({ citations_resolve: 1, differs_from_rejected: 1, declines_unanswerable: 1 });
    expect(fake.bodies.filter((b) => b.model === JUDGE_MODEL)).toHaveLength(4);
  });
});
