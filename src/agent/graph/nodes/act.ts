import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { formatSources, SourceRegistry } from '../../answering/citations.js';
import type { RunContext } from '../context.js';
import { contentText } from '../../answering/json-reply.js';
import { callModel } from '../../llm/llm.js';
import { loadPrompt, renderPrompt } from '../../prompts.js';
import { normalizeMarkers, stripMarkers } from '../../answering/sentences.js';
import { historyOf, type AgentStateType, type AgentUpdate } from '../state.js';
import { toolsForAnswer } from '../../tools/offer.js';

/**
 * One step of the ReAct loop: the answering model either writes the cited answer (the common
 * path: one call) or asks for tools. The last allowed step, and the rewrite after a failed
 * grounding check, are offered no tools, so the loop always ends with an answer.
 */
export async function act(state: AgentStateType, ctx: RunContext): Promise<AgentUpdate> {
  const { models, options } = ctx.deps;
  const steps = state.steps + 1;
  const toolsAllowed = state.intent === 'retrieve' && state.retries === 0 && steps < options.maxSteps;
  const tools = toolsAllowed ? toolsForAnswer(state, ctx, new SourceRegistry(state.sources)) : [];
  const messages = state.messages.length > 0 ? state.messages : openingMessages(state, ctx);
  ctx.progress({ kind: 'status', step: 'thinking' });
  const onText = options.streaming ? (text: string) => ctx.progress({ kind: 'draft', text }) : undefined;
  const reply = await callModel(models, 'main', messages, { purpose: 'answer', tools, ...(onText ? { onText } : {}) }, ctx);
  const text = contentText(reply.content);
  const ai = new AIMessage({ content: text, tool_calls: reply.tool_calls ?? [], invalid_tool_calls: reply.invalid_tool_calls ?? [] });
  const wantsTools = (reply.tool_calls?.length ?? 0) + (reply.invalid_tool_calls?.length ?? 0) > 0;
  return {
    messages: [...messages, ai],
    steps,
    offeredTools: tools.map((t) => t.name),
    draft: normalizeMarkers(text).trim(),
    stepLimited: wantsTools && tools.length === 0 && steps >= options.maxSteps,
  };
}

/** System rules, the thread so far, then the question with its passages as delimited data. */
function openingMessages(state: AgentStateType, ctx: RunContext): BaseMessage[] {
  // Earlier answers' [n] pointed at that answer's passages; here they would point at the wrong ones.
  const history = historyOf(state, ctx.deps.options.historyTurns).map((t) =>
    t.role === 'user' ? new HumanMessage(t.text) : new AIMessage(stripMarkers(t.text)),
  );
  if (state.intent === 'smalltalk') return [new SystemMessage(loadPrompt('smalltalk-system')), ...history, new HumanMessage(state.question)];
  return [
    new SystemMessage(renderPrompt('answer-system', { nonce: ctx.nonce })),
    ...history,
    new HumanMessage(renderPrompt('answer-user', { question: state.question, files: attachedFiles(ctx), sources: formatSources(state.sources, ctx.nonce) })),
  ];
}

/** Tells the model which files the question brought and where run_code finds them. */
function attachedFiles(ctx: RunContext): string {
  if (ctx.files.length === 0) return '';
  const list = ctx.files.map((f) => `- /data/${f.name} (${Buffer.byteLength(f.content)} bytes)`).join('\n');
  return `\n\n${renderPrompt('attached-files', { files: list })}`;
}
