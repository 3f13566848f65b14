import type { StructuredToolInterface } from '@langchain/core/tools';
import type { SourceRegistry } from '../citations.js';
import type { RunContext } from '../context.js';
import { wantsCode } from '../routing.js';
import type { AgentStateType } from '../state.js';
import { createSearchDocsTool } from './search-docs.js';
import { TOOL } from './toolset.js';

/**
 * The tools for this answer: search_docs (bound to the asker's access groups) and the configured
 * tools. What is offered follows from the user's question and the configuration, never from
 * retrieved text: run_code only when the user asks for code to be run. The tools node refuses
 * any call to a tool that was not offered.
 */
export function toolsForAnswer(
  state: Pick<AgentStateType, 'question' | 'accessGroups'>,
  ctx: RunContext,
  registry: SourceRegistry,
): StructuredToolInterface[] {
  const { retriever, tools, options } = ctx.deps;
  const searchDocs = createSearchDocsTool({ retriever, accessGroups: state.accessGroups, k: options.k, registry, nonce: ctx.nonce });
  return [searchDocs, ...tools.filter((t) => t.name !== TOOL.runCode || wantsCode(state.question))];
}
