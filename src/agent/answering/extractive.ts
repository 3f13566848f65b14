import type { AnswerReply, AnswerRequest, ProgressEvent } from '../../core/answer.js';
import type { Retriever } from '../../core/retriever.js';
import { finalizeCitations, snippet, SourceRegistry } from './citations.js';
import type { AgentOptions } from '../graph/configuration.js';
import { contentTerms, coverage, evidenceTerms } from './lexical.js';
import type { RunMeter } from '../llm/meter.js';
import { calculated, declined, smalltalk, type Composed } from './compose.js';
import { NOT_FOUND, PASSAGES_INTRO } from './replies.js';
import { routeQuestion } from '../query/routing.js';
import { TOOL, type ArithmeticAnswerer } from '../tools/toolset.js';

export interface ExtractiveDeps {
  retriever: Retriever;
  arithmetic?: ArithmeticAnswerer;
  options: Pick<AgentOptions, 'k' | 'extractivePassages' | 'snippetChars'>;
}

/** Longest quote per passage: enough to answer from, short enough for a chat message. */
const QUOTE_CHARS = 400;

/**
 * Share of the question's content words one quoted passage must hold for the quotes to count as
 * answering it. Quotes are verbatim, so they never misstate the docs; below this they are likely
 * beside the point, and the reply is graded partial so every surface shows its caveat.
 */
const ON_TOPIC_COVERAGE = 0.5;

/**
 * Answering without a language model: quotes the best reranked passages, each cited, after
 * `notice` (which says why no model wrote the answer). Arithmetic is still computed.
 */
export async function extractiveAnswer(
  request: AnswerRequest,
  deps: ExtractiveDeps,
  run: { meter: RunMeter; progress: (event: ProgressEvent) => void },
  notice: string,
): Promise<AnswerReply> {
  const { meter } = run;
  const base = { mode: 'extractive' as const, llm: meter.llm() };
  const uncited = ({ text, grounding }: Composed, toolsUsed: string[] = []): AnswerReply =>
    ({ ...base, text, citations: [], grounding, toolsUsed, timingsMs: meter.timingsMs() });
  const question = request.question.trim();
  const decided = routeQuestion(question, deps.arithmetic?.extract);
  if (decided.route === 'arithmetic' && deps.arithmetic && decided.expression) {
    const result = await meter.time('calculate', () => deps.arithmetic!.evaluate(decided.expression!));
    if (result.ok) return uncited(calculated(`${decided.expression} = ${result.result}`), [TOOL.calculator]);
  }
  if (decided.route === 'smalltalk') return uncited(smalltalk());
  run.progress({ kind: 'status', step: 'retrieving' });
  const hits = await meter.time('retrieve', () => deps.retriever.search(question, { k: deps.options.k, accessGroups: request.accessGroups }));
  const top = hits.slice(0, deps.options.extractivePassages);
  if (top.length === 0) return uncited(declined([], { lead: `${notice} ${NOT_FOUND}` }));
  const refs = new SourceRegistry().addHits(top);
  const quotes = refs.map((r) => `> ${snippet(r.text, question, QUOTE_CHARS)} [${r.n}]`);
  const { text, citations } = finalizeCitations(`${notice} ${PASSAGES_INTRO}\n\n${quotes.join('\n\n')}`, refs, deps.options.snippetChars);
  const terms = contentTerms(question);
  const relevance = Math.max(...refs.map((r) => coverage(terms, evidenceTerms(`${r.title} ${r.text}`))));
  return {
    ...base,
    text,
    citations,
    // The quotes are verbatim, so what is said is supported; how well they answer is the question's coverage.
    grounding: { verdict: relevance >= ON_TOPIC_COVERAGE ? 'supported' : 'partial', confidence: Math.round(relevance * 100) / 100 },
    toolsUsed: [],
    timingsMs: meter.timingsMs(),
  };
}
