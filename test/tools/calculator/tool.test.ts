import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCalculator, warmUpCalculator } from '../../../src/tools/calculator/calculator.js';
import { createCalculatorTool } from '../../../src/tools/calculator/tool.js';

// Starting the worker from TypeScript sources takes seconds on a busy machine; keep it out of the tests' time.
beforeAll(() => warmUpCalculator(), 60_000);
afterAll(async () => {
  await closeCalculator();
});

describe('calculator tool', () => {
  const calculator = createCalculatorTool();

  it('is named calculator and takes an expression', () => {
    expect(calculator.name).toBe('calculator');
    expect(Object.keys(calculator.schema.shape)).toEqual(['expression']);
  });

  it('answers with the expression and its value', async () => {
    expect(await calculator.invoke({ expression: '5 km to mile' })).toBe('5 km to mile = 3.10685596119 mile');
  });

  it('returns refusals to the model as text instead of throwing', async () => {
    expect(await calculator.invoke({ expression: 'f(x) = x' })).toMatch(/^Error: defining functions is not allowed/);
    expect(await calculator.invoke({ expression: 'x'.repeat(10_000) })).toMatch(/^Error: the expression is too long/);
  });

  it('turns a failing evaluator into an error message', async () => {
    const broken = createCalculatorTool(() => Promise.reject(new Error('/work/secret/path exploded')));
    const text = await broken.invoke({ expression: '1+1' });
    expect(text).toMatch(/^Error: the calculator failed/);
    expect(text).not.toContain('/work');
  });

  it('wraps a tool call in a ToolMessage', async () => {
    const message = await calculator.invoke({ type: 'tool_call', id: 'call-1', name: 'calculator', args: { expression: '2+2*3' } });
    expect(message.content).toBe('2+2*3 = 8');
    expect(message.tool_call_id).toBe('call-1');
  });
});
