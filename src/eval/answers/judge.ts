import { HumanMessage } from '@langchain/core/messages';
import type { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { contentText, createLanguageModels, parseJsonReply, toLlmError, type ModelEndpoint } from '../../agent/index.js';
import type { Config } from '../../config/config.js';
import type { Embedder } from '../../core/embedder.js';
import { averagePrecision, citationPairs, cosine, formatPairs, formatPassages, share } from './judge-scores.js';
import { loadJudgePrompts, renderJudgePrompt, type JudgePrompt } from './judge-prompts.js';
import { JUDGE_METRICS, type MetricValues } from './metric-names.js';
import type { CitedSource, ContextPassage, JudgeVerdicts } from './types.js';

interface JudgeInput {
  question: string;
  answer: string;
  answerable: boolean;
  declined: boolean;
  goldAnswer?: string;
  contexts: ContextPassage[];
  citations: CitedSource[];
}

interface JudgeResult {
  metrics: MetricValues;
  verdicts: JudgeVerdicts;
}

export interface AnswerJudge {
  readonly model: string;
  judge(input: JudgeInput): Promise<JudgeResult>;
}

/** Questions RAGAS derives from an answer to measure its relevancy. */
const GENERATED_QUESTIONS = 3;

const ClaimsReply = z.object({
  claims: z.array(z.object({ claim: z.string(), supported: z.boolean() })).default([]),
  citations: z.array(z.object({ pair: z.coerce.number(), supported: z.boolean() })).default([]),
});
const PrecisionReply = z.object({ useful: z.array(z.boolean()) });
const RecallReply = z.object({ statements: z.array(z.object({ statement: z.string(), attributed: z.boolean() })) });
const QuestionsReply = z.object({ questions: z.array(z.string()), noncommittal: z.boolean().default(false) });

/**
 * The judge named by JUDGE_MODEL on the same OpenAI-compatible server as the agent, or null (with
 * the reason) when there is none: the eval then reports only the judge-free metrics.
 */
export function createJudge(llm: Config['llm'], embedder: Embedder): { judge: AnswerJudge | null; note?: string } {
  if (!llm.judgeModel) return { judge: null, note: `Set JUDGE_MODEL to compute ${JUDGE_METRICS.join(', ')}.` };
  if (!llm.enabled) return { judge: null, note: 'JUDGE_MODEL is set but no language model server is: set OPENAI_BASE_URL or OPENAI_API_KEY.' };
  loadJudgePrompts();
  const models = createLanguageModels({ ...llm, model: llm.judgeModel, fastModel: llm.judgeModel, temperature: 0 });
  if (!models) return { judge: null, note: 'No language model server is configured.' };
  return { judge: new LlmJudge(llm.judgeModel, models.main, models, embedder) };
}

/**
 * RAGAS-style grading in at most four model calls per question, run in parallel: claims and
 * citation verdicts, context usefulness, context recall, and questions generated from the answer.
 * A call that fails or a reply that cannot be read leaves its metric null and says why.
 */
class LlmJudge implements AnswerJudge {
  constructor(
    readonly model: string,
    private readonly chat: ChatOpenAI,
    private readonly endpoint: ModelEndpoint,
    private readonly embedder: Embedder,
  ) {}

  async judge(input: JudgeInput): Promise<JudgeResult> {
    const metrics: MetricValues = {};
    const verdicts: JudgeVerdicts = {};
    // Unanswerable questions are scored on whether the reply declines, which needs no judge.
    if (!input.answerable) return { metrics, verdicts };
    const errors: string[] = [];
    const guard = (what: string, job: () => Promise<void>) =>
      job().catch((err: unknown) => {
        errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      });
    const contexts = formatPassages(input.contexts);
    const jobs: Array<Promise<void>> = [];
    metrics.faithfulness = null;
    metrics.citation_precision = null;
    if (!input.declined) jobs.push(guard('faithfulness', () => this.claims(input, contexts, metrics, verdicts)));
    jobs.push(guard('answer relevancy', () => this.relevancy(input, metrics, verdicts)));
    if (input.goldAnswer?.trim()) {
      metrics.context_precision = null;
      metrics.context_recall = null;
      jobs.push(guard('context precision', () => this.precision(input, contexts, metrics, verdicts)));
      jobs.push(guard('context recall', () => this.recall(input, contexts, metrics, verdicts)));
    }
    await Promise.all(jobs);
    if (errors.length > 0) verdicts.errors = errors;
    return { metrics, verdicts };
  }

  private async claims(input: JudgeInput, contexts: string, m: MetricValues, v: JudgeVerdicts): Promise<void> {
    const pairs = citationPairs(input.answer, input.citations, input.contexts);
    const reply = await this.ask('judge-claims', { question: input.question, contexts, answer: input.answer, pairs: formatPairs(pairs) }, ClaimsReply);
    v.claims = reply.claims;
    m.faithfulness = share(reply.claims.map((c) => c.supported));
    const supported = new Set(reply.citations.filter((c) => c.supported).map((c) => c.pair));
    v.citations = pairs.map((p, i) => ({ sentence: p.sentence, source: p.passage, supported: supported.has(i + 1) }));
    m.citation_precision = share(v.citations.map((c) => c.supported));
  }

  private async relevancy(input: JudgeInput, m: MetricValues, v: JudgeVerdicts): Promise<void> {
    if (input.declined) {
      // A decline is non-committal by definition; RAGAS scores those 0 whatever the questions.
      v.questions = { generated: [], noncommittal: true };
      m.answer_relevancy = 0;
      return;
    }
    m.answer_relevancy = null;
    const reply = await this.ask('judge-questions', { answer: input.answer, count: String(GENERATED_QUESTIONS) }, QuestionsReply);
    const generated = reply.questions.map((q) => q.trim()).filter(Boolean);
    v.questions = { generated, noncommittal: reply.noncommittal };
    if (generated.length === 0) throw new Error('the judge generated no questions');
    const original = await this.embedder.embedQuery(input.question);
    const sims = await Promise.all(generated.map(async (q) => cosine(original, await this.embedder.embedQuery(q))));
    m.answer_relevancy = reply.noncommittal ? 0 : sims.reduce((a, b) => a + b, 0) / sims.length;
  }

  private async precision(input: JudgeInput, contexts: string, m: MetricValues, v: JudgeVerdicts): Promise<void> {
    if (input.contexts.length === 0) {
      v.contexts = [];
      m.context_precision = 0;
      return;
    }
    const reply = await this.ask('judge-context-precision', { question: input.question, gold: input.goldAnswer ?? '', contexts, count: String(input.contexts.length) }, PrecisionReply);
    if (reply.useful.length !== input.contexts.length) {
      throw new Error(`the judge gave ${reply.useful.length} verdicts for ${input.contexts.length} passages`);
    }
    v.contexts = reply.useful;
    m.context_precision = averagePrecision(reply.useful);
  }

  private async recall(input: JudgeInput, contexts: string, m: MetricValues, v: JudgeVerdicts): Promise<void> {
    const reply = await this.ask('judge-context-recall', { question: input.question, gold: input.goldAnswer ?? '', contexts }, RecallReply);
    v.recall = reply.statements;
    m.context_recall = share(reply.statements.map((s) => s.attributed));
  }

  private async ask<T>(prompt: JudgePrompt, values: Record<string, string>, schema: z.ZodType<T>): Promise<T> {
    let text: string;
    try {
      const reply = await this.chat.invoke([new HumanMessage(renderJudgePrompt(prompt, values))], { tags: ['purpose:judge'] });
      text = contentText(reply.content);
    } catch (err) {
      throw toLlmError(err, this.endpoint);
    }
    const parsed = schema.safeParse(parseJsonReply(text));
    if (!parsed.success) throw new Error(`unreadable judge reply to ${prompt}`);
    return parsed.data;
  }
}
