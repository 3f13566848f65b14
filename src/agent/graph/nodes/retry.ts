import { HumanMessage } from '@langchain/core/messages';
import { formatSources, SourceRegistry } from '../../answering/citations.js';
import type { RunContext } from '../context.js';
import { claims } from '../../answering/grounding.js';
import { searchQueries } from '../../query/multi-query.js';
import { renderPrompt } from '../../prompts.js';
import { stripMarkers } from '../../answering/sentences.js';
import type { AgentStateType, AgentUpdate } from '../state.js';
import { relevantHits } from './grade.js';

/**
 * The one retry after unsupported sentences: search with those sentences as queries (they name
 * what the draft needed), add any new passages, and ask the model to rewrite keeping only what
 * the passages support.
 */
export async function retry(state: AgentStateType, ctx: RunContext): Promise<AgentUpdate> {
  const { retriever, reranker, options } = ctx.deps;
  ctx.progress({ kind: 'status', step: 'retrying' });
  const unsupported = claims(state.assessment!).filter((c) => c.status === 'unsupported').map((c) => stripMarkers(c.text).trim());
  const queries = [state.standalone, ...unsupported.slice(0, options.maxRewrites)];
  const hits = await searchQueries(retriever, queries, {
    k: options.k,
    accessGroups: state.accessGroups,
    rerankQuery: state.standalone,
    ...(reranker ? { reranker } : {}),
  });
  const registry = new SourceRegistry(state.sources);
  const known = state.sources.length;
  const fresh = registry.addHits(relevantHits(hits, [state.question, ...queries])).filter((r) => r.n > known);
  const feedback = renderPrompt('retry-feedback', {
    unsupported: unsupported.map((s) => `- ${s}`).join('\n'),
    sources: formatSources(fresh, ctx.nonce),
  });
  return { messages: [...state.messages, new HumanMessage(feedback)], sources: registry.all(), retries: state.retries + 1 };
}
