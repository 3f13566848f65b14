import type { CalculationResult } from '../../tools/calculator/calculator.js';

export type { CalculationResult };

/** Tool names the agent treats specially. */
export const TOOL = { searchDocs: 'search_docs', calculator: 'calculator', runCode: 'run_code', webSearch: 'web_search' } as const;

/** Answers a message that is nothing but a calculation, without a model. */
export interface ArithmeticAnswerer {
  /** The expression when the whole message is a calculation, else null. */
  extract(message: string): string | null;
  evaluate(expression: string): Promise<CalculationResult>;
}
