import * as mathjs from 'mathjs';
import type { FactoryFunctionMap, MathJsInstance } from 'mathjs';
import { expressionLengthError, INSTANCE_FACTORIES } from './allow-list.js';
import { ExpressionRejected, validateExpressionTree } from './validate.js';

export type CalculationResult = { ok: true; result: string } | { ok: false; error: string };

/** Longest result handed back; a 100-element matrix fits comfortably. */
const MAX_RESULT_CHARS = 2000;
const FORMAT = { precision: 12, lowerExp: -9, upperExp: 15 } as const;

const factories: FactoryFunctionMap = Object.assign(
  {},
  ...INSTANCE_FACTORIES.map((name) => {
    const deps = (mathjs as unknown as Record<string, FactoryFunctionMap | undefined>)[`${name}Dependencies`];
    if (deps === undefined) throw new Error(`mathjs has no factory for "${name}"`);
    return deps;
  }),
) as FactoryFunctionMap;

/**
 * A new mathjs instance holding only the allowed factories, one per calculation, so that nothing an
 * expression does can outlive it even if some path around the allow-list were found. (Freezing a shared
 * instance would not do: mathjs's lazy properties have setters.) mathjs resolves its functions lazily,
 * about 25 ms per instance, so `prepareRestrictedMath` does that work ahead of the call that uses it.
 */
export function createRestrictedMath(): MathJsInstance {
  return mathjs.create(factories, { number: 'number', matrix: 'Matrix' });
}

/** A fresh instance with the parser, units and common operators already resolved. */
export function prepareRestrictedMath(): MathJsInstance {
  const math = createRestrictedMath();
  math.format(math.parse('(sqrt(4) * 2 km + 1 m) / 3 ^ 2 to m').compile().evaluate({}), FORMAT);
  return math;
}

/** Parses, checks against the allow-list, then evaluates with an empty scope. Synchronous and in-process:
 * the calculator worker calls it and adds the time and memory limits. `math` should be an instance no
 * other expression has touched (see prepareRestrictedMath). */
export function evaluateInProcess(expression: string, math: MathJsInstance = createRestrictedMath()): CalculationResult {
  const lengthError = expressionLengthError(expression);
  if (lengthError !== null) return { ok: false, error: lengthError };
  let node: mathjs.MathNode;
  try {
    node = math.parse(expression);
  } catch (err) {
    return { ok: false, error: `could not read the expression: ${messageOf(err)}` };
  }
  try {
    validateExpressionTree(node, { isUnit: (name) => !(name in math) && math.Unit.isValuelessUnit(name) });
  } catch (err) {
    if (err instanceof ExpressionRejected) return { ok: false, error: err.message };
    throw err;
  }
  try {
    const value: unknown = node.compile().evaluate({});
    return { ok: true, result: formatValue(math, value) };
  } catch (err) {
    return { ok: false, error: messageOf(err) };
  }
}

function formatValue(math: MathJsInstance, value: unknown): string {
  const text = typeof value === 'boolean' ? String(value) : math.format(value, FORMAT);
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}… (result truncated)` : text;
}

function messageOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}
