import { HumanMessage } from '@langchain/core/messages';
import type { Turn } from '../../core/answer.js';
import type { RunContext } from '../graph/context.js';
import { contentText, parseJsonReply } from '../answering/json-reply.js';
import { callModel } from '../llm/llm.js';
import { loadPrompt, renderPrompt } from '../prompts.js';
import { notEnglish } from './language.js';

export interface QueryPlan {
  standalone: string;
  rewrites: string[];
}

/**
 * One fast-model call: the question made self-contained (follow-ups resolved against the thread)
 * and up to `maxRewrites` differently worded queries. A reply that is not the asked-for JSON
 * falls back to the question alone rather than failing the answer.
 */
export async function planQueries(ctx: RunContext, question: string, history: Turn[]): Promise<QueryPlan> {
  const { models, options } = ctx.deps;
  const prompt = renderPrompt('rewrite-queries', {
    history: history.length > 0 ? history.map((t) => `${t.role}: ${oneLine(t.text)}`).join('\n') : '(none)',
    question,
    max: String(options.maxRewrites),
    // The documents are searched in their own language; a question in another finds little by its words.
    english: notEnglish(question) ? `\n${loadPrompt('rewrite-english')}` : '',
  });
  const reply = await callModel(models, 'fast', [new HumanMessage(prompt)], { purpose: 'rewrite' }, ctx);
  const json = parseJsonReply(contentText(reply.content));
  const standalone = typeof json?.standalone === 'string' && json.standalone.trim() ? json.standalone.trim() : question;
  const rewrites = Array.isArray(json?.queries)
    ? json.queries.filter((q): q is string => typeof q === 'string' && q.trim().length > 0).map((q) => q.trim())
    : [];
  return { standalone, rewrites: rewrites.slice(0, options.maxRewrites) };
}

function oneLine(text: string, max = 400): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
