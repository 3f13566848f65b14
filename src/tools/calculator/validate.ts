import type { MathNode } from 'mathjs';
import {
  ALLOWED_CONSTANTS, ALLOWED_FUNCTIONS, ALLOWED_OPERATORS, FORBIDDEN_NAMES, MAX_ARRAY_ELEMENTS,
  MAX_ARRAY_NESTING, MAX_DEPTH, MAX_NODES,
} from './allow-list.js';

/** The parts of mathjs's node shapes the walk reads; mathjs's own generics type `op`/`fn` as `never`. */
interface AnyNode { type: string }
interface ConstantLike extends AnyNode { value: unknown }
interface SymbolLike extends AnyNode { name: string }
interface OperatorLike extends AnyNode { op: string; fn: string; args: AnyNode[] }
interface FunctionLike extends AnyNode { fn: AnyNode; args: AnyNode[] }
interface ArrayLike extends AnyNode { items: AnyNode[] }
interface ParenthesisLike extends AnyNode { content: AnyNode }

/** What the walk needs to know about the instance: which bare names are units. */
export interface UnitOracle {
  isUnit(name: string): boolean;
}

export class ExpressionRejected extends Error {
  override readonly name = 'ExpressionRejected';
}

const REFUSED_NODE_TYPES: Record<string, string> = {
  AssignmentNode: 'assignments are not allowed: every calculation starts fresh, with no variables',
  FunctionAssignmentNode: 'defining functions is not allowed: every calculation starts fresh',
  AccessorNode: 'property and index access (a.b, a[1]) are not allowed',
  IndexNode: 'property and index access (a.b, a[1]) are not allowed',
  ObjectNode: 'objects ({...}) are not allowed',
  RangeNode: 'ranges (a:b) are not allowed; list the values instead',
  BlockNode: 'only one expression at a time is allowed',
  ConditionalNode: 'conditional expressions (a ? b : c) are not allowed',
};

/**
 * Walks a parsed expression and throws ExpressionRejected at the first thing outside the allow-list.
 * Runs before evaluation, so size bounds hold no matter what the evaluator would do.
 */
export function validateExpressionTree(root: MathNode, units: UnitOracle): void {
  const budget = { nodes: 0, arrayElements: 0 };

  const visit = (node: AnyNode, depth: number, arrayNesting: number): void => {
    budget.nodes += 1;
    if (budget.nodes > MAX_NODES) throw new ExpressionRejected(`the expression is too complex (over ${MAX_NODES} parts)`);
    if (depth > MAX_DEPTH) throw new ExpressionRejected(`the expression is nested too deeply (over ${MAX_DEPTH} levels)`);
    const refused = REFUSED_NODE_TYPES[node.type];
    if (refused !== undefined) throw new ExpressionRejected(refused);

    switch (node.type) {
      case 'ConstantNode': {
        const { value } = node as ConstantLike;
        if (typeof value !== 'number') throw new ExpressionRejected('only numbers are allowed as literals (no text, null or undefined)');
        return;
      }
      case 'SymbolNode':
        checkValueName((node as SymbolLike).name, units);
        return;
      case 'ParenthesisNode':
        visit((node as ParenthesisLike).content, depth + 1, arrayNesting);
        return;
      case 'OperatorNode': {
        const op = node as OperatorLike;
        if (!ALLOWED_OPERATORS.has(op.fn)) throw new ExpressionRejected(`the operator "${op.op}" is not allowed`);
        for (const arg of op.args) visit(arg, depth + 1, arrayNesting);
        return;
      }
      case 'FunctionNode': {
        const call = node as FunctionLike;
        if (call.fn.type !== 'SymbolNode') throw new ExpressionRejected('only calls of named functions such as sqrt(2) are allowed');
        checkFunctionName((call.fn as SymbolLike).name);
        for (const arg of call.args) visit(arg, depth + 1, arrayNesting);
        return;
      }
      case 'ArrayNode': {
        const { items } = node as ArrayLike;
        if (arrayNesting + 1 > MAX_ARRAY_NESTING) throw new ExpressionRejected(`lists may be nested at most ${MAX_ARRAY_NESTING} deep`);
        budget.arrayElements += items.length;
        if (budget.arrayElements > MAX_ARRAY_ELEMENTS) throw new ExpressionRejected(`lists may hold at most ${MAX_ARRAY_ELEMENTS} values in all`);
        for (const item of items) visit(item, depth + 1, arrayNesting + 1);
        return;
      }
      default:
        throw new ExpressionRejected(`"${node.type}" is not allowed in a calculation`);
    }
  };

  visit(root as AnyNode, 0, 0);
}

function checkFunctionName(name: string): void {
  if (ALLOWED_FUNCTIONS.has(name)) return;
  if (FORBIDDEN_NAMES.has(name)) throw new ExpressionRejected(`"${name}" is not available in the calculator`);
  throw new ExpressionRejected(`unknown function "${name}"; allowed: ${[...ALLOWED_FUNCTIONS].join(', ')}`);
}

/** A bare name must be a constant or a unit, never a function, a variable or an internal. */
function checkValueName(name: string, units: UnitOracle): void {
  if (ALLOWED_CONSTANTS.has(name)) return;
  if (FORBIDDEN_NAMES.has(name)) throw new ExpressionRejected(`"${name}" is not available in the calculator`);
  if (ALLOWED_FUNCTIONS.has(name)) {
    // mathjs resolves functions before units, so `5 min` would multiply by the function min().
    const hint = name === 'min' ? ' (for minutes write "minute")' : '';
    throw new ExpressionRejected(`"${name}" is a function; call it like ${name}(...)${hint}`);
  }
  if (units.isUnit(name)) return;
  throw new ExpressionRejected(`unknown name "${name}": variables are not supported, only numbers, units (km, mile, kg, …) and the constants ${[...ALLOWED_CONSTANTS].join(', ')}`);
}
