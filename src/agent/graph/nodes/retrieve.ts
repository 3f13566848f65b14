import { indexText } from '../../../core/documents.js';
import type { RunContext } from '../context.js';
import { contentTerms, coverage, evidenceTerms } from '../../answering/lexical.js';
import { NAME_PASSAGES, noAnswer } from '../../answering/no-answer.js';
import { answersBeyondDocs } from '../../tools/offer.js';
import { searchQueries } from '../../query/multi-query.js';
import { planQueries } from '../../query/rewrite.js';
import { notEnglish } from '../../query/language.js';
import { historyOf, type AgentStateType, type AgentUpdate } from '../state.js';

/**
 * Searches with the question first. When that shows the docs plainly do not hold the answer
 * (no-answer.ts) and no tool could answer without them (web search, running code), the graph declines without a model call. When its top passage already holds most of the question's
 * words and there is no thread to resolve, that is enough; otherwise one fast-model call rewrites
 * the question (resolving follow-ups) into up to `maxRewrites` queries, each searched, merged
 * with the first results by rank, deduplicated and reranked against the self-contained question.
 */
export async function retrieve(state: AgentStateType, ctx: RunContext): Promise<AgentUpdate> {
  const { retriever, reranker, options } = ctx.deps;
  ctx.progress({ kind: 'status', step: 'retrieving' });
  const search = { k: options.k, accessGroups: state.accessGroups };
  // Enough passages to tell whether the docs name what the question asks about; the first k are the hits.
  const wide = await retriever.search(state.question, { ...search, k: Math.max(options.k, NAME_PASSAGES) });
  const first = wide.slice(0, options.k);
  const history = historyOf(state, options.historyTurns);
  // A follow-up leans on the thread, so only a fresh question is judged on its own words; so does a
  // question with attachments, and one in another language than the docs' (its words are not theirs).
  const judgeable = history.length === 0 && ctx.attachments.length === 0 && !notEnglish(state.question);
  if (judgeable && !answersBeyondDocs(state, ctx) && noAnswer(state.question, wide)) {
    return { queries: [state.question], standalone: state.question, hits: first, nothingFound: true };
  }
  const top = first[0];
  if (history.length === 0 && top && coverage(contentTerms(state.question), evidenceTerms(indexText(top.chunk))) >= options.confidentCoverage) {
    return { queries: [state.question], standalone: state.question, hits: first.slice(0, options.k) };
  }
  const plan = await planQueries(ctx, state.question, history);
  const queries = [...new Set([state.question, plan.standalone, ...plan.rewrites])];
  const hits = await searchQueries(retriever, queries.slice(1), { ...search, rerankQuery: plan.standalone, ...(reranker ? { reranker } : {}) }, [first]);
  return { queries, standalone: plan.standalone, hits };
}
