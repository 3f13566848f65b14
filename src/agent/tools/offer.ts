import type { StructuredToolInterface } from '@langchain/core/tools';
import { onlyPublic } from '../../core/access.js';
import type { SourceRegistry } from '../answering/citations.js';
import type { RunContext } from '../graph/context.js';
import { wantsCode } from '../query/routing.js';
import type { AgentStateType } from '../graph/state.js';
import { createSearchDocsTool } from './search-docs.js';
import { TOOL } from './toolset.js';

/**
 * The tools for this answer: search_docs (bound to the asker's access groups) and the configured
 * tools. What is offered follows from the user's question, the audience and the configuration, never
 * from retrieved text: run_code only when the user asks for code to be run or attached files; web_search, which sends
 * its query to a third party, only when the answer may draw on public groups alone (unless
 * WEB_SEARCH_WITH_PRIVATE_GROUPS). The tools node refuses any call to a tool that was not offered.
 */
export function toolsForAnswer(
  state: Pick<AgentStateType, 'question' | 'accessGroups'>,
  ctx: RunContext,
  registry: SourceRegistry,
): StructuredToolInterface[] {
  const { retriever, tools, options } = ctx.deps;
  const searchDocs = createSearchDocsTool({ retriever, accessGroups: state.accessGroups, k: options.k, registry, nonce: ctx.nonce });
  const webAllowed = webSearchAllowed(state, ctx);
  const codeAllowed = codeWanted(state, ctx);
  const offered = (name: string) => (name === TOOL.runCode ? codeAllowed : name === TOOL.webSearch ? webAllowed : true);
  return [searchDocs, ...tools.filter((t) => offered(t.name))];
}

/** Whether web_search may run for this audience (configured or not). */
function webSearchAllowed(state: Pick<AgentStateType, 'accessGroups'>, ctx: RunContext): boolean {
  return ctx.deps.access.webSearchWithPrivateGroups || onlyPublic(ctx.deps.access, state.accessGroups);
}

/** run_code is for a question that asks for code to be run, or that brought files to compute from. */
function codeWanted(state: Pick<AgentStateType, 'question'>, ctx: RunContext): boolean {
  return wantsCode(state.question) || ctx.files.length > 0;
}

/**
 * Whether a tool offered for this answer could answer without the docs: web_search (configured
 * and allowed for the audience) or run_code (configured, and wanted as above).
 */
export function answersBeyondDocs(state: Pick<AgentStateType, 'question' | 'accessGroups'>, ctx: RunContext): boolean {
  const configured = (name: string) => ctx.deps.tools.some((t) => t.name === name);
  return (configured(TOOL.webSearch) && webSearchAllowed(state, ctx)) || (configured(TOOL.runCode) && codeWanted(state, ctx));
}
