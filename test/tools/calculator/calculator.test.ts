import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Calculator, closeCalculator, evaluateExpression, warmUpCalculator } from '../../../src/tools/calculator/calculator.js';
import { siblingEntry } from '../../../src/core/module-entry.js';

// Starting the worker from TypeScript sources takes seconds on a busy machine; keep it out of the tests' time.
beforeAll(() => warmUpCalculator(), 60_000);
afterAll(async () => {
  await closeCalculator();
});

async function refused(expression: string): Promise<string> {
  const outcome = await evaluateExpression(expression);
  if (outcome.ok) throw new Error(`"${expression}" was evaluated to ${outcome.result}`);
  return outcome.error;
}

describe('evaluateExpression: refuses the attack list before evaluating', () => {
  // Each of these either alters the evaluator (mathjs's own recipe still lets several through),
  // escapes to JavaScript, or allocates without bound.
  const attacks: Array<[string, RegExp]> = [
    ['import({}, {override: true})', /"import" is not available/],
    ['f(x) = x', /defining functions is not allowed/],
    ['sqrt = 1', /assignments are not allowed/],
    ['config({})', /"config" is not available/],
    ['typed("x", {})', /"typed" is not available/],
    ['reviver', /"reviver" is not available/],
    ['evaluate("1+1")', /"evaluate" is not available/],
    ['parse("1")', /"parse" is not available/],
    ['simplify("x")', /"simplify" is not available/],
    ['derivative("x^2", "x")', /"derivative" is not available/],
    ['resolve', /"resolve" is not available/],
    ['compile("1")', /"compile" is not available/],
    ['chain(1)', /"chain" is not available/],
    ['createUnit("foo")', /"createUnit" is not available/],
    ['1:1e9', /ranges \(a:b\) are not allowed/],
    ['ones(1e9)', /"ones" is not available/],
    ['zeros(1e9)', /"zeros" is not available/],
    ['range(1, 1e9)', /"range" is not available/],
    ['concat([1], [2])', /"concat" is not available/],
    ['[1,2,3][1]', /index access/],
    ['a.b', /property and index access/],
    ['cos.constructor', /property and index access/],
    ['"".constructor', /property and index access/],
    ['{a: 1}', /objects/],
    [`"${'a'.repeat(400)}"`, /only numbers are allowed as literals/],
    ['1 ? 2 : 3', /conditional expressions/],
    ['1; 2', /one expression at a time/],
    ['[[[1]]]', /nested at most 2 deep/],
    [`[${Array.from({ length: 101 }, () => '1').join(',')}]`, /at most 100 values/],
    ['x(1)', /unknown function "x"/],
  ];
  it.each(attacks)('%s', async (expression, why) => {
    expect(await refused(expression)).toMatch(why);
  });

  it('caps the length before parsing', async () => {
    expect(await refused(`1+${'1+'.repeat(5000)}1`)).toMatch(/too long \(10003 characters; at most 500\)/);
    expect(await refused('   ')).toMatch(/empty/);
  });
});

describe('evaluateExpression: answers arithmetic and unit conversions', () => {
  const good: Array<[string, string]> = [
    ['2+2*3', '8'],
    ['(3+4)^2', '49'],
    ['sqrt(16)', '4'],
    ['mean(1, 2, 3)', '2'],
    ['17% * 2340', '397.8'],
    ['1/3', '0.333333333333'],
    ['10!', '3628800'],
    ['5 km to mile', '3.10685596119 mile'],
    ['30 degC to degF', '86 degF'],
    ['sin(30 deg)', '0.5'],
    ['[1, 2, 3] * 2', '[2, 4, 6]'],
    ['2 > 1', 'true'],
  ];
  it.each(good)('%s = %s', async (expression, expected) => {
    expect(await evaluateExpression(expression)).toEqual({ ok: true, result: expected });
  });

  it('explains the minute/min clash instead of failing on a type error', async () => {
    expect(await refused('5 min to s')).toMatch(/for minutes write "minute"/);
    expect(await evaluateExpression('5 minute to s')).toEqual({ ok: true, result: '300 s' });
  });

  it('reports evaluation errors as messages', async () => {
    expect(await refused('5 km to kg')).toMatch(/Units do not match/);
  });

  it('keeps nothing between calls', async () => {
    expect(await refused('x = 5')).toMatch(/assignments are not allowed/);
    expect(await refused('x')).toMatch(/unknown name "x"/);
  });

  it('reuses the running worker instead of starting one per call', async () => {
    await evaluateExpression('1+1');
    for (const expression of ['2+2*3', '5 km to mile', 'sqrt(16)']) {
      const started = performance.now();
      await evaluateExpression(expression);
      // Typically a few ms; a worker start (mathjs load) takes seconds on this machine.
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});

describe('Calculator worker supervision', () => {
  const entry = siblingEntry(import.meta.url, 'fixtures/misbehaving-worker');

  it('stops a hung evaluation at the time limit, then answers from a new worker', async () => {
    const calculator = new Calculator({ timeoutMs: 300, workerEntry: entry });
    try {
      expect(await calculator.evaluate('hang')).toEqual({ ok: false, error: 'stopped: time limit (300 ms)' });
      expect(await calculator.evaluate('1+1')).toEqual({ ok: true, result: 'ok' });
    } finally {
      await calculator.close();
    }
  });

  it('stops an evaluation that exhausts the worker heap, then recovers', async () => {
    const calculator = new Calculator({ timeoutMs: 20_000, memoryMb: 32, workerEntry: entry });
    try {
      expect(await calculator.evaluate('exhaust heap')).toEqual({ ok: false, error: 'stopped: memory limit' });
      expect(await calculator.evaluate('1+1')).toEqual({ ok: true, result: 'ok' });
    } finally {
      await calculator.close();
    }
  });

  it('replaces a worker that crashes between calls', async () => {
    const calculator = new Calculator({ timeoutMs: 20_000, workerEntry: entry });
    try {
      expect(await calculator.evaluate('crash after answering')).toEqual({ ok: true, result: 'ok' });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await calculator.evaluate('1+1')).toEqual({ ok: true, result: 'ok' });
    } finally {
      await calculator.close();
    }
  });

  it('does not block the event loop while the worker hangs', async () => {
    const calculator = new Calculator({ timeoutMs: 1000, workerEntry: entry });
    try {
      await calculator.warmUp();
      let ticks = 0;
      const interval = setInterval(() => { ticks += 1; }, 20);
      await calculator.evaluate('hang');
      clearInterval(interval);
      expect(ticks).toBeGreaterThan(10);
    } finally {
      await calculator.close();
    }
  });
});
