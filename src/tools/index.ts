import type { StructuredToolInterface } from '@langchain/core/tools';
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { createCalculatorTool } from './calculator/tool.js';
import { createRunCodeTool } from './sandbox/tool.js';
import { createWebSearchProvider } from './web-search/create-provider.js';
import { createWebSearchTool } from './web-search/tool.js';

export { closeCalculator, warmUpCalculator } from './calculator/calculator.js';
export { closeCodeRunner, warmUpCodeRunner } from './sandbox/run-code.js';

/**
 * The general-purpose tools the agent may call: calculator always, run_code in the configured languages,
 * web_search only when a provider is configured (it is not offered at all otherwise). `search_docs`
 * lives with the agent.
 */
export function createTools(options: {
  webSearch: Config['webSearch'];
  runCode?: Config['runCode'];
  logger?: Logger;
}): StructuredToolInterface[] {
  const tools: StructuredToolInterface[] = [createCalculatorTool()];
  const languages = options.runCode?.languages;
  if (languages === undefined || languages.length > 0) tools.push(createRunCodeTool(languages ? { languages } : {}));
  const provider = createWebSearchProvider(options.webSearch);
  if (provider !== null) tools.push(createWebSearchTool(provider, { logger: options.logger }));
  return tools;
}
