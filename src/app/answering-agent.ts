import { calculatorArithmetic, createAgent, type Agent } from '../agent/index.js';
import type { Config } from '../config/config.js';
import { LangChainMetricsHandler } from '../observability/langchain-metrics.js';
import type { Metrics } from '../observability/metrics.js';
import type { SharedStateErrorSink } from '../shared-state/errors.js';
import type { Runtime } from '../runtime.js';
import { createTools } from '../tools/index.js';

export interface AnsweringAgentOptions {
  /** Counts every model and tool call (a long-running bot exports them; one-off commands do not). */
  metrics?: Metrics;
  /** Where a failing shared thread memory (PostgreSQL) is counted and logged. */
  onSharedStateError?: SharedStateErrorSink;
}

/**
 * The agent as every caller answers with: the runtime's retrieval (an eval passes its recording
 * retriever in the runtime's place), the configured tools and the model-free calculator.
 */
export function createAnsweringAgent(
  runtime: Pick<Runtime, 'retriever' | 'reranker' | 'logger'>,
  config: Config,
  options: AnsweringAgentOptions = {},
): Agent {
  const { logger } = runtime;
  return createAgent({
    config,
    retriever: runtime.retriever,
    ...(runtime.reranker ? { reranker: runtime.reranker } : {}),
    tools: createTools({ webSearch: config.webSearch, runCode: config.runCode, logger }),
    arithmetic: calculatorArithmetic,
    logger,
    ...(options.onSharedStateError ? { onSharedStateError: options.onSharedStateError } : {}),
    ...(options.metrics ? { callbacks: [new LangChainMetricsHandler(options.metrics)] } : {}),
  });
}
