/**
 * What a calculator expression may contain. Everything not listed here is refused before evaluation:
 * mathjs's own security recipe (overriding import/createUnit/evaluate/parse/simplify/derivative/resolve)
 * still lets through function definitions, assignments that shadow built-ins, `config`, `typed` and
 * `reviver`, so the calculator allows names instead of denying them.
 */

/** The longest expression accepted. Parsing cost and tree size grow with length. */
export const MAX_EXPRESSION_CHARS = 500;

export function expressionLengthError(expression: unknown): string | null {
  if (typeof expression !== 'string' || expression.trim() === '') return 'the expression is empty';
  if (expression.length > MAX_EXPRESSION_CHARS) {
    return `the expression is too long (${expression.length} characters; at most ${MAX_EXPRESSION_CHARS})`;
  }
  return null;
}
/** Bounds checked on the parsed tree, before anything is evaluated. */
export const MAX_NODES = 300;
export const MAX_DEPTH = 60;
export const MAX_ARRAY_ELEMENTS = 100;
export const MAX_ARRAY_NESTING = 2;

/** Functions that return something no larger than their arguments, in time bounded by their size. */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // arithmetic
  'abs', 'add', 'subtract', 'multiply', 'divide', 'mod', 'pow', 'sqrt', 'cbrt', 'nthRoot', 'exp', 'expm1',
  'log', 'log10', 'log2', 'log1p', 'round', 'floor', 'ceil', 'fix', 'sign', 'gcd', 'lcm', 'hypot', 'factorial',
  // trigonometry
  'sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh',
  'asinh', 'acosh', 'atanh',
  // statistics over a handful of values
  'min', 'max', 'mean', 'median', 'sum', 'prod', 'std', 'variance', 'mad',
  // comparison
  'equal', 'unequal', 'smaller', 'larger', 'smallerEq', 'largerEq', 'compare',
  // unit conversion as a call: to(5 km, mile)
  'to',
]);

/**
 * Operators by their mathjs function name (`OperatorNode.fn`). `in`/`to` both map to `to`;
 * a postfix `%` (as in `17%`) parses as a division by 100.
 */
export const ALLOWED_OPERATORS: ReadonlySet<string> = new Set([
  'add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus', 'mod', 'factorial', 'to',
  'equal', 'unequal', 'smaller', 'larger', 'smallerEq', 'largerEq', 'dotMultiply', 'dotDivide', 'dotPow',
]);

export const ALLOWED_CONSTANTS: ReadonlySet<string> = new Set(['pi', 'PI', 'e', 'E', 'tau', 'phi', 'i']);

/**
 * Names that alter or escape the evaluator. They are refused anyway (not allowed), but by name, so the
 * error says why, and the tests can name the attack list.
 */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  'import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'derivative', 'resolve', 'config',
  'typed', 'reviver', 'chain', 'help', 'parser', 'rationalize', 'leafCount', 'symbolicEqual', 'replacer',
  'constructor', '__proto__', 'prototype', 'ones', 'zeros', 'range', 'concat', 'identity', 'matrix',
  'resize', 'reshape', 'kron', 'map', 'forEach', 'filter', 'apply',
]);

/** The mathjs factories the calculator instance is built from: the allowed names plus what parsing,
 * units, matrices and formatting need. Nothing else exists in the instance. */
export const INSTANCE_FACTORIES: readonly string[] = [
  ...ALLOWED_FUNCTIONS,
  ...ALLOWED_OPERATORS,
  ...ALLOWED_CONSTANTS,
  'parse', 'format', 'unit', 'matrix',
];
