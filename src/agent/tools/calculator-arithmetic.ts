import { looksLikeArithmetic } from '../../tools/calculator/arithmetic-question.js';
import { evaluateExpression } from '../../tools/calculator/calculator.js';
import type { ArithmeticAnswerer } from './toolset.js';

/**
 * The src/tools calculator as the agent's arithmetic answerer. Kept out of the agent's own imports
 * (mathjs takes seconds to load); whoever assembles the agent passes it in.
 */
export const calculatorArithmetic: ArithmeticAnswerer = { extract: looksLikeArithmetic, evaluate: evaluateExpression };
