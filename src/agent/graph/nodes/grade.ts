import { indexText } from '../../../core/documents.js';
import type { SearchHit } from '../../../core/search.js';
import { attachmentHits } from '../../answering/attachments.js';
import { SourceRegistry } from '../../answering/citations.js';
import type { RunContext } from '../context.js';
import { contentTerms, coverage, evidenceTerms } from '../../answering/lexical.js';
import type { AgentStateType, AgentUpdate } from '../state.js';

/** A passage bears on the question when it holds at least this share of the words of the question or of one rewrite. */
const MIN_RELEVANCE = 0.2;

/**
 * Drops passages that share (almost) no words with the question or any of its rewrites: the
 * reranker already ordered them, so this cheap check only removes what plainly does not belong,
 * without a model call. What is left is numbered for the model.
 */
export async function grade(state: AgentStateType, ctx: RunContext): Promise<AgentUpdate> {
  ctx.progress({ kind: 'status', step: 'grading' });
  const kept = relevantHits(state.hits, [state.question, state.standalone, ...state.queries]);
  const registry = new SourceRegistry(state.sources);
  // The asker's own files come first: they were attached to this very question.
  registry.addHits([...attachmentHits(ctx.attachments, state.standalone, 1), ...kept]);
  return { sources: registry.all() };
}

export function relevantHits(hits: readonly SearchHit[], texts: readonly string[]): SearchHit[] {
  const wanted = [...new Set(texts)].map(contentTerms).filter((t) => t.size > 0);
  return hits.filter((hit) => {
    const evidence = evidenceTerms(indexText(hit.chunk));
    return wanted.some((terms) => coverage(terms, evidence) >= MIN_RELEVANCE);
  });
}
