import { HumanMessage } from '@langchain/core/messages';
import { formatSources, type SourceRef } from './citations.js';
import type { RunContext } from '../graph/context.js';
import type { SentenceCheck } from './grounding.js';
import { contentText, parseJsonReply } from './json-reply.js';
import { callModel } from '../llm/llm.js';
import { renderPrompt } from '../prompts.js';
import { stripMarkers } from './sentences.js';

/**
 * Asks the fast model, in one call, which borderline sentences their cited passages back.
 * Returns the supported ones; a reply it cannot read supports none (the safe side).
 */
export async function checkClaims(ctx: RunContext, sentences: SentenceCheck[], sources: readonly SourceRef[]): Promise<Set<SentenceCheck>> {
  const byNumber = new Map(sources.map((s) => [s.n, s]));
  const claims = sentences
    .map((s, i) => {
      const cited = s.cites.map((n) => byNumber.get(n)).filter((r): r is SourceRef => r !== undefined);
      return `Statement ${i + 1}: ${stripMarkers(s.text).trim()}\nIts sources:\n${formatSources(cited, ctx.nonce)}`;
    })
    .join('\n\n');
  const prompt = renderPrompt('check-claims', { claims, nonce: ctx.nonce });
  const reply = await callModel(ctx.deps.models, 'fast', [new HumanMessage(prompt)], { purpose: 'grounding' }, ctx);
  const listed = parseJsonReply(contentText(reply.content))?.supported;
  const numbers = new Set(Array.isArray(listed) ? listed.map(Number) : []);
  return new Set(sentences.filter((_, i) => numbers.has(i + 1)));
}
