import type { CalculationResult } from '../../tools/calculator/calculator.js';
import { CALCULATOR_TOOL_NAME } from '../../tools/calculator/tool.js';
import { RUN_CODE_TOOL_NAME } from '../../tools/sandbox/tool.js';
import { WEB_SEARCH_TOOL_NAME } from '../../tools/web-search/tool.js';

/** Tool names the agent treats specially. */
export const TOOL = { searchDocs: 'search_docs', calculator: CALCULATOR_TOOL_NAME, runCode: RUN_CODE_TOOL_NAME, webSearch: WEB_SEARCH_TOOL_NAME } as const;

/** Answers a message that is nothing but a calculation, without a model. */
export interface ArithmeticAnswerer {
  /** The expression when the whole message is a calculation, else null. */
  extract(message: string): string | null;
  evaluate(expression: string): Promise<CalculationResult>;
}
