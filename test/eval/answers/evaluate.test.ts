import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJudge, evaluateDataset, JUDGE_METRICS, writeReports } from '../../../src/eval/answers/index.js';
import { FakeOpenAI, match, messageText, type ChatCompletionBody, type ScriptedReply } from '../../fakes/openai-server.js';
import { agentFactory, evalConfig, FAST_MODEL, FIXTURE, hashEmbedder, JUDGE_MODEL, MAIN_MODEL, progress, scratchDir, silentLogger } from './helpers.js';

const lastUser = (body: ChatCompletionBody) => messageText([...body.messages].reverse().find((m) => m.role === 'user'));

/** The number the agent gave the passage titled `title` in this prompt. */
function sourceNumber(prompt: string, title: string): number {
  const m = new RegExp(`<<source \\[(\\d+)\\] \\w+>>\\ntitle: ${title}\\n`).exec(prompt);
  if (!m) throw new Error(`no source titled ${title} in the prompt`);
  return Number(m[1]);
}

/** The answering model: one scripted reply per fixture question, citing by title. */
function answerReply(body: ChatCompletionBody): ScriptedReply {
  const prompt = lastUser(body);
  if (prompt.includes('paid annual leave')) return { content: `Employees are entitled to 25 days of paid annual leave per calendar year [${sourceNumber(prompt, 'Annual leave')}].` };
  if (prompt.includes('passwords')) return { content: "I couldn't find that in the docs." };
  if (prompt.includes('meal allowance')) {
    const n = sourceNumber(prompt, 'Travel expenses');
    return { content: `The daily meal allowance on business trips is 40 euros [${n}]. Flights under 6 hours are booked in economy class [${n}].` };
  }
  if (prompt.includes('dog')) return { content: "I couldn't find that in the docs." };
  if (prompt.includes('connect')) return { content: `Install WireGuard and import the profile from the IT portal [${sourceNumber(prompt, 'VPN access')}].` };
  throw new Error(`unscripted question: ${prompt.slice(0, 80)}`);
}

function rewriteReply(body: ChatCompletionBody): ScriptedReply {
  const question = /Question: (.*)/.exec(lastUser(body))?.[1] ?? '';
  const plan = question.includes('connect') ? { standalone: 'How do I connect to the VPN for the internal dashboards?', queries: ['VPN WireGuard profile'] } : { standalone: question, queries: [] };
  return { content: JSON.stringify(plan) };
}

/** Which fixture question a judge prompt is about. */
function questionOf(judgePrompt: string): 'q1' | 'q2' | 'q3' | 'q5' {
  // The question line when the prompt has one (passages may mention anything), else the answer.
  const prompt = /^Question:\n(.*)$/m.exec(judgePrompt)?.[1] ?? judgePrompt;
  if (prompt.includes('paid annual leave') || prompt.includes('25 days')) return 'q1';
  if (prompt.includes('passwords be')) return 'q2';
  if (prompt.includes('meal allowance')) return 'q3';
  if (prompt.includes('connect to it') || prompt.includes('WireGuard')) return 'q5';
  throw new Error(`judge prompt about an unexpected question: ${prompt.slice(0, 120)}`);
}

const CLAIMS = {
  q1: { claims: [{ claim: 'Employees get 25 days of paid annual leave a year.', supported: true }], citations: [{ pair: 1, supported: true }] },
  q3: {
    claims: [{ claim: 'The meal allowance is 40 euros a day.', supported: true }, { claim: 'Short flights are economy.', supported: false }],
    citations: [{ pair: 1, supported: true }, { pair: 2, supported: false }],
  },
  q5: { claims: [{ claim: 'Install WireGuard.', supported: true }], citations: [{ pair: 1, supported: true }] },
} as const;
/** Context-usefulness patterns: q1 → AP 1, q2 → AP 1/2, q3 → AP (1 + 2/3)/2, q5 → 0. */
const USEFUL: Record<string, (i: number) => boolean> = { q1: (i) => i === 0, q2: (i) => i === 1, q3: (i) => i === 0 || i === 2, q5: () => false };
const RECALL = { q1: [true], q2: [true, false], q3: [true], q5: [false] } as const;

function judgeReply(body: ChatCompletionBody): ScriptedReply {
  const prompt = lastUser(body);
  const q = questionOf(prompt);
  if (prompt.startsWith('# Judge: faithfulness')) return { content: JSON.stringify(CLAIMS[q as keyof typeof CLAIMS]) };
  if (prompt.startsWith('# Judge: context precision')) {
    const count = Number(/\((\d+) verdicts\)/.exec(prompt)?.[1]);
    return { content: `Here you go: {"useful": ${JSON.stringify(Array.from({ length: count }, (_, i) => USEFUL[q]!(i)))}}` };
  }
  if (prompt.startsWith('# Judge: context recall')) {
    return { content: JSON.stringify({ statements: RECALL[q].map((attributed, i) => ({ statement: `statement ${i + 1}`, attributed })) }) };
  }
  if (prompt.startsWith('# Judge: answer relevancy')) {
    if (q === 'q3') return { content: '{"questions": ["What is the meal allowance?"], "noncommittal": true}' };
    const original = q === 'q1' ? 'How many days of paid annual leave do employees get per year?' : 'ok and how do i connect to it?';
    return { content: JSON.stringify({ questions: [original, original, original], noncommittal: false }) };
  }
  throw new Error('unknown judge prompt');
}

describe('evaluateDataset over the fixture set', () => {
  let s: Awaited<ReturnType<typeof scratchDir>>;
  beforeEach(async () => { s = await scratchDir(); });
  afterEach(async () => { await s.cleanup(); });

  it('reports every judge-free metric in extractive mode without a model and names the metrics that need a judge', async () => {
    const config = evalConfig(s.dir, null);
    const embedder = hashEmbedder();
    const { judge, note } = createJudge(config.llm, embedder);
    expect(judge).toBeNull();
    const report = await evaluateDataset(FIXTURE, { config, embedder, reranker: null, logger: silentLogger, progress: progress(), judge, judgeNote: note!, makeAgent: agentFactory(config) });

    expect(report).toMatchObject({ mode: 'extractive', model: null, judge: null, questions: 5, answerable: 4, k: 4, embedder: 'hash-bow@1' });
    expect(report.needsJudge).toEqual([...JUDGE_METRICS]);
    expect(report.judgeNote).toMatch(/JUDGE_MODEL/);
    // Indexed from docs/: citations map back to corpus ids.
    const q1 = report.rows.find((r) => r.id === 'q1')!;
    expect(q1.citations[0]).toMatchObject({ n: 1, docId: 'hr/leave.md', source: 'docs/hr/leave.md' });
    expect(q1.contexts[0]).toMatchObject({ rank: 1, docId: 'hr/leave.md', cited: true });
    expect(report.rows.find((r) => r.id === 'q5')!.history).toEqual([{ role: 'user', text: 'the internal dashboards need the VPN right?' }]);
    // The no-answer rule (issue 14) declines the unanswerable question even without a model.
    expect(report.averages).toMatchObject({
      gold_doc_cited: { mean: 1, n: 4 },
      evidence_in_cited: { mean: 1, n: 4 },
      declines_unanswerable: { mean: 1, n: 1 },
      declines_answerable: { mean: 0, n: 4 },
      citations_resolve: { mean: 1, n: 5 },
      'recall@k': { mean: 1, n: 4 },
      'mrr@10': { mean: 1, n: 4 },
    });
    for (const name of JUDGE_METRICS) expect(report.averages[name]).toBeUndefined();
    expect(report.rows.every((r) => r.verdicts === null)).toBe(true);

    const written = await writeReports(report, `${s.dir}/out`);
    const json = JSON.parse(await readFile(written.json, 'utf8')) as typeof report;
    expect(json.rows).toHaveLength(5);
    const html = await readFile(written.html, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Needs a judge model');
  });

  describe('with the agent and the judge on a scripted OpenAI-compatible server', () => {
    let fake: FakeOpenAI;
    beforeAll(async () => { fake = await FakeOpenAI.start(); });
    afterAll(async () => { await fake.close(); });

    it('computes RAGAS-style metrics and citation precision exactly from the judge’s verdicts', async () => {
      fake.when(match.model(MAIN_MODEL), answerReply);
      fake.when(match.all(match.model(FAST_MODEL), match.lastUserIncludes('search queries')), rewriteReply);
      fake.when(match.all(match.model(FAST_MODEL), match.lastUserIncludes('You check statements')), { content: '{"supported": [1, 2, 3]}' });
      fake.when(match.model(JUDGE_MODEL), judgeReply);
      const config = evalConfig(s.dir, fake.baseURL, true);
      const embedder = hashEmbedder();
      const { judge } = createJudge(config.llm, embedder);
      const report = await evaluateDataset(FIXTURE, { config, embedder, reranker: null, logger: silentLogger, progress: progress(), judge, makeAgent: agentFactory(config) });

      expect(report).toMatchObject({ mode: 'agent', model: MAIN_MODEL, judge: JUDGE_MODEL, needsJudge: [] });
      const by = Object.fromEntries(report.rows.map((r) => [r.id, r.metrics]));
      expect(by.q1).toMatchObject({ faithfulness: 1, citation_precision: 1, answer_relevancy: expect.closeTo(1, 6), context_precision: 1, context_recall: 1, gold_doc_cited: 1, evidence_in_cited: 1 });
      // A false decline: no claims to check, non-committal by definition, retrieval still judged.
      expect(by.q2).toMatchObject({ faithfulness: null, citation_precision: null, answer_relevancy: 0, context_precision: 0.5, context_recall: 0.5, declines_answerable: 1, gold_doc_cited: 0 });
      expect(by.q3).toMatchObject({ faithfulness: 0.5, citation_precision: 0.5, answer_relevancy: 0, context_recall: 1, gold_doc_cited: 1 });
      expect(by.q3!.context_precision).toBeCloseTo((1 + 2 / 3) / 2, 6);
      // The unanswerable question is scored on declining only: the judge is not asked about it.
      expect(by.q4).toEqual({ citations_resolve: expect.any(Number), declines_unanswerable: 1 });
      expect(by.q5).toMatchObject({ faithfulness: 1, citation_precision: 1, answer_relevancy: expect.closeTo(1, 6), context_precision: 0, context_recall: 0, gold_doc_cited: 1 });

      expect(report.averages.faithfulness).toEqual({ mean: 0.8333, n: 3 });
      expect(report.averages.citation_precision).toEqual({ mean: 0.8333, n: 3 });
      expect(report.averages.answer_relevancy).toEqual({ mean: 0.5, n: 4 });
      expect(report.averages.context_precision).toEqual({ mean: 0.5833, n: 4 });
      expect(report.averages.context_recall).toEqual({ mean: 0.625, n: 4 });
      expect(report.averages.declines_unanswerable).toEqual({ mean: 1, n: 1 });
      expect(report.averages.gold_doc_cited).toEqual({ mean: 0.75, n: 4 });

      const judgeCalls = fake.bodies.filter((b) => b.model === JUDGE_MODEL);
      expect(judgeCalls).toHaveLength(14);
      expect(judgeCalls.every((b) => b.temperature === 0)).toBe(true);
      const q3 = report.rows.find((r) => r.id === 'q3')!;
      expect(q3.verdicts?.citations).toEqual([
        { sentence: 'The daily meal allowance on business trips is 40 euros.', source: 1, supported: true },
        { sentence: 'Flights under 6 hours are booked in economy class.', source: 1, supported: false },
      ]);
      expect(q3.verdicts?.questions).toEqual({ generated: ['What is the meal allowance?'], noncommittal: true });
    });

    it('leaves a metric null and says why when the judge’s reply cannot be read', async () => {
      fake.reset();
      fake.when(match.model(MAIN_MODEL), answerReply);
      fake.when(match.all(match.model(FAST_MODEL), match.lastUserIncludes('search queries')), rewriteReply);
      fake.when(match.all(match.model(FAST_MODEL), match.lastUserIncludes('You check statements')), { content: '{"supported": [1, 2, 3]}' });
      fake.when(match.model(JUDGE_MODEL), { content: 'I would rather not say.' });
      const config = evalConfig(s.dir, fake.baseURL, true);
      const embedder = hashEmbedder();
      const report = await evaluateDataset(FIXTURE, { config, embedder, reranker: null, logger: silentLogger, progress: progress(), judge: createJudge(config.llm, embedder).judge, makeAgent: agentFactory(config), limit: 1 });

      expect(report.questions).toBe(1);
      expect(report.rows[0]!.metrics).toMatchObject({ faithfulness: null, answer_relevancy: null, context_precision: null, context_recall: null, gold_doc_cited: 1 });
      expect(report.rows[0]!.verdicts?.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^faithfulness: unreadable judge reply/)]));
      expect(report.averages.faithfulness).toBeUndefined();
    });
  });
});
