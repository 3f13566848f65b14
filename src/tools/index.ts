import type { StructuredToolInterface } from '@langchain/core/tools';
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { createCalculatorTool } from './calculator/tool.js';
import type { RunCodeLimits } from './sandbox/run-code.js';
import { createRunCodeTool } from './sandbox/tool.js';
import { createWebSearchProvider } from './web-search/create-provider.js';
import { createWebSearchTool } from './web-search/tool.js';

export { evaluateExpression, warmUpCalculator, closeCalculator, Calculator, type CalculationResult } from './calculator/calculator.js';
export { looksLikeArithmetic } from './calculator/arithmetic-question.js';
export { CALCULATOR_TOOL_NAME, createCalculatorTool } from './calculator/tool.js';
export { runCode, type RunCodeInput, type RunCodeLimits, type RunCodeResult } from './sandbox/run-code.js';
export { RUN_CODE_TOOL_NAME, createRunCodeTool } from './sandbox/tool.js';
export { createWebSearchProvider } from './web-search/create-provider.js';
export type { WebResult, WebSearchProvider, WebSearchOptions } from './web-search/provider.js';
export { WEB_SEARCH_TOOL_NAME, createWebSearchTool, type WebSearchToolOutput } from './web-search/tool.js';

/**
 * The general-purpose tools the agent may call: calculator and run_code always, web_search only when a
 * provider is configured (it is not offered at all otherwise). `search_docs` lives with the agent.
 */
export function createTools(options: {
  webSearch: Config['webSearch'];
  logger?: Logger;
  sandboxLimits?: RunCodeLimits;
}): StructuredToolInterface[] {
  const tools: StructuredToolInterface[] = [createCalculatorTool(), createRunCodeTool({ limits: options.sandboxLimits })];
  const provider = createWebSearchProvider(options.webSearch);
  if (provider !== null) tools.push(createWebSearchTool(provider, { logger: options.logger }));
  return tools;
}
