import { parentPort } from 'node:worker_threads';
import type { MathJsInstance } from 'mathjs';
import { evaluateInProcess, prepareRestrictedMath, type CalculationResult } from './restricted-math.js';

/** Worker-thread entry of the calculator: one expression per message, a fresh mathjs instance each. */

export interface CalculatorRequest { id: number; expression: string }
export type CalculatorMessage = { kind: 'ready' } | { kind: 'result'; id: number; result: CalculationResult };

const port = parentPort;
if (port === null) throw new Error('calculator worker must run in a worker thread');

let prepared: MathJsInstance | undefined = prepareRestrictedMath();

port.on('message', (request: CalculatorRequest) => {
  const math = prepared ?? prepareRestrictedMath();
  prepared = undefined;
  let result: CalculationResult;
  try {
    result = evaluateInProcess(String(request.expression), math);
  } catch {
    result = { ok: false, error: 'the calculator could not evaluate this expression' };
  }
  port.postMessage({ kind: 'result', id: request.id, result } satisfies CalculatorMessage);
  // Build the next instance while idle, so the next call does not pay for it.
  setImmediate(() => { prepared ??= prepareRestrictedMath(); });
});

port.postMessage({ kind: 'ready' } satisfies CalculatorMessage);
