import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { MAX_EXPRESSION_CHARS } from './allow-list.js';
import { evaluateExpression, type CalculationResult } from './calculator.js';

export const CALCULATOR_TOOL_NAME = 'calculator';

const schema = z.object({
  expression: z
    .string()
    .describe('One mathjs expression, e.g. "(3+4)^2", "17% * 2340", "sqrt(16)", "mean(1, 2, 3)", "5 km to mile", "30 degC to degF".'),
});

/**
 * The `calculator` tool. Its function never throws: a refused or failed expression comes back to the
 * model as text starting "Error:", so the graph keeps going. Success reads "<expression> = <result>".
 */
export function createCalculatorTool(evaluate: (expression: string) => Promise<CalculationResult> = evaluateExpression) {
  return tool(
    async ({ expression }) => {
      try {
        const outcome = await evaluate(expression);
        return outcome.ok ? `${expression} = ${outcome.result}` : `Error: ${outcome.error}`;
      } catch {
        return 'Error: the calculator failed; work it out step by step instead';
      }
    },
    {
      name: CALCULATOR_TOOL_NAME,
      description:
        'Evaluates arithmetic and unit conversions exactly. Use it for any calculation instead of doing it in your head. ' +
        'Numbers, + - * / ^ % !, parentheses, lists like [1, 2, 3], the constants pi and e, units (5 km to mile), ' +
        'and functions such as sqrt, abs, round, floor, ceil, min, max, log, log10, exp, sin, cos, tan, mean, median, sum, std. ' +
        `No variables, assignments, ranges or text. At most ${MAX_EXPRESSION_CHARS} characters.`,
      schema,
    },
  );
}
