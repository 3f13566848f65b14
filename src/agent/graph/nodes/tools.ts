import { ToolMessage, type AIMessage, type ToolCall } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { isCairnError } from '../../../core/errors.js';
import type { WebResult } from '../../../tools/web-search/provider.js';
import { formatSources, SourceRegistry } from '../../answering/citations.js';
import type { RunContext } from '../context.js';
import { contentText } from '../../answering/json-reply.js';
import { renderPrompt } from '../../prompts.js';
import type { AgentStateType, AgentUpdate } from '../state.js';
import { toolsForAnswer } from '../../tools/offer.js';
import { TOOL } from '../../tools/toolset.js';
import { quotesRestricted } from '../../tools/web-query-guard.js';

/** Tools whose output may back a sentence that cites no passage (a figure the model computed). */
const COMPUTING_TOOLS = new Set<string>([TOOL.calculator, TOOL.runCode]);

/**
 * Runs the tool calls of the last model message, one at a time so passages are numbered in a
 * fixed order. Only tools offered for this step run; a failing tool becomes an "Error: …" result
 * the model can read and work around, never an exception out of the answer. Web results join the
 * numbered sources and are shown to the model as delimited blocks like passages.
 */
export async function runTools(state: AgentStateType, ctx: RunContext): Promise<AgentUpdate> {
  const ai = state.messages.at(-1) as AIMessage;
  const registry = new SourceRegistry(state.sources);
  const available = new Map(toolsForAnswer(state, ctx, registry).map((t) => [t.name, t]));
  const results: ToolMessage[] = [];
  const used: string[] = [];
  const outputs: string[] = [];
  for (const call of ai.tool_calls ?? []) {
    ctx.progress({ kind: 'status', step: 'tool', detail: call.name });
    const tool = state.offeredTools.includes(call.name) ? available.get(call.name) : undefined;
    let content = `Error: the tool "${call.name}" is not available for this question.`;
    if (tool && call.name === TOOL.webSearch && leaksRestricted(call, state, registry, ctx)) {
      ctx.deps.logger.warn({ tool: call.name }, 'refused a web search that quotes a restricted passage');
      content = 'Error: that query quotes a restricted document, so it was not sent to the web. Search the web only with words of the question, or answer from the documents.';
    } else if (tool) {
      used.push(call.name);
      const out = await invoke(tool, call, ctx);
      const web = call.name === TOOL.webSearch ? webResults(out.artifact) : [];
      content = web.length > 0 ? renderPrompt('search-results', { sources: formatSources(registry.addWeb(web), ctx.nonce) }) : out.content;
      // The call's arguments too: "2 ** 10 is 1024" is backed by the code and its result together.
      if (COMPUTING_TOOLS.has(call.name) && !content.startsWith('Error:')) outputs.push(`${JSON.stringify(call.args)}\n${content}`);
    }
    results.push(new ToolMessage({ content, tool_call_id: call.id ?? call.name, name: call.name, status: content.startsWith('Error:') ? 'error' : 'success' }));
  }
  for (const bad of ai.invalid_tool_calls ?? []) {
    const content = `Error: the arguments for "${bad.name ?? 'the tool'}" were not valid JSON.`;
    results.push(new ToolMessage({ content, tool_call_id: bad.id ?? 'invalid', status: 'error' }));
  }
  return {
    messages: [...state.messages, ...results],
    sources: registry.all(),
    toolsUsed: [...state.toolsUsed, ...used],
    toolOutputs: [...state.toolOutputs, ...outputs],
  };
}

async function invoke(tool: StructuredToolInterface, call: ToolCall, ctx: RunContext): Promise<{ content: string; artifact?: unknown }> {
  try {
    // Called with the whole tool call, a tool answers with a ToolMessage that carries its artifact.
    // `files` reaches run_code only: the question's attachments, never anything the model names.
    const out: unknown = await tool.invoke({ ...call, type: 'tool_call' }, { callbacks: ctx.callbacks, signal: ctx.signal, configurable: { files: ctx.files } });
    if (ToolMessage.isInstance(out)) return { content: contentText(out.content), artifact: out.artifact };
    return { content: typeof out === 'string' ? out : JSON.stringify(out) };
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    ctx.deps.logger.warn({ tool: tool.name, code: isCairnError(err) ? err.code : undefined, err }, 'tool call failed');
    return { content: `Error: ${isCairnError(err) ? err.userMessage : err instanceof Error ? err.message : String(err)}` };
  }
}

/** Whether a web_search call would carry restricted passage text (or the asker's attachment) to the provider. */
function leaksRestricted(call: ToolCall, state: AgentStateType, registry: SourceRegistry, ctx: RunContext): boolean {
  const query = typeof call.args.query === 'string' ? call.args.query : JSON.stringify(call.args);
  const restricted = registry.all().filter((s) => s.kind === 'attachment' || (s.accessGroup !== undefined && !ctx.deps.access.publicGroups.includes(s.accessGroup)));
  return quotesRestricted(query, restricted.map((s) => s.text), state.question);
}

/** The results in a web_search artifact (`{ results: [{ title, url, snippet }] }`). */
function webResults(artifact: unknown): WebResult[] {
  const results = (artifact as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(results)) return [];
  return results.filter(
    (r): r is WebResult => typeof r === 'object' && r !== null && typeof r.url === 'string' && typeof r.title === 'string' && typeof r.snippet === 'string',
  );
}
