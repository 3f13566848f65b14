import type { StructuredToolInterface } from '@langchain/core/tools';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { Config } from '../../config/config.js';
import type { Attachment, ProgressEvent, QuestionFile } from '../../core/answer.js';
import type { Logger } from '../../core/logger.js';
import type { Reranker, Retriever } from '../../core/retriever.js';
import type { AgentOptions } from './configuration.js';
import type { CallScope, LanguageModels } from '../llm/llm.js';
import type { RunMeter } from '../llm/meter.js';
import type { ArithmeticAnswerer } from '../tools/toolset.js';

/** What the agent is built from; fixed for its lifetime. */
export interface AgentDeps {
  retriever: Retriever;
  reranker?: Reranker;
  models: LanguageModels;
  /** calculator, run_code, web_search and any other tools, besides search_docs. */
  tools: StructuredToolInterface[];
  arithmetic?: ArithmeticAnswerer;
  options: AgentOptions;
  access: Pick<Config['access'], 'publicGroups' | 'webSearchWithPrivateGroups'>;
  logger: Logger;
}

/**
 * Everything a node needs besides the state, for one answer. It travels as LangGraph's run
 * `context`, which is never checkpointed, so functions and live clients are fine here.
 */
// A type, not an interface: LangGraph's `context` option wants an indexable object type.
export type RunContext = CallScope & {
  deps: AgentDeps;
  meter: RunMeter;
  /** Marks this answer's source delimiters; a document cannot guess it. */
  nonce: string;
  progress: (event: ProgressEvent) => void;
  /** The question's attached files: run_code is offered for them and hands them to the sandbox. */
  files: QuestionFile[];
  /** The asker's attachments, read to text: passages for this answer only, never checkpointed. */
  attachments: Attachment[];
};

export type Node<S, U> = (state: S, ctx: RunContext) => Promise<U>;

/** Adapts a node to LangGraph's signature and adds its time to the answer's `timingsMs`. */
export function timed<S, U>(step: string, node: Node<S, U>): (state: S, config: LangGraphRunnableConfig) => Promise<U> {
  return (state, config) => {
    const ctx = config.context as RunContext | undefined;
    if (!ctx?.deps) throw new Error(`agent node "${step}" ran without its run context`);
    return ctx.meter.time(step, () => node(state, ctx));
  };
}
