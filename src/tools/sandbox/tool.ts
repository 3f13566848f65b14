import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { MAX_CODE_CHARS, runCode, type RunCodeLimits, type RunCodeResult } from './run-code.js';

export const RUN_CODE_TOOL_NAME = 'run_code';

const schema = z.object({
  language: z.enum(['javascript']).describe('Only JavaScript is supported.'),
  code: z.string().describe('A JavaScript script. Print with console.log; the value of the last expression is returned too.'),
});

/**
 * The `run_code` tool: JavaScript in a QuickJS sandbox (see runCode). Never throws; failures come back
 * as text starting "Error:". Output format:
 *   stdout:\n<console output>\nresult: <last expression value>
 */
export function createRunCodeTool(
  options: { limits?: RunCodeLimits; run?: (input: z.infer<typeof schema>, limits?: RunCodeLimits, signal?: AbortSignal) => Promise<RunCodeResult> } = {},
) {
  const run = options.run ?? runCode;
  return tool(
    async (input, config) => {
      try {
        // The agent's signal: a cancelled answer kills the child at once, not at the wall-clock limit.
        return formatOutcome(await run(input, options.limits, config?.signal));
      } catch {
        return 'Error: the sandbox failed to run this code';
      }
    },
    {
      name: RUN_CODE_TOOL_NAME,
      description:
        'Runs a short JavaScript program in an isolated sandbox and returns what it printed and the value of its last expression. ' +
        'Use it for data processing, date arithmetic or algorithms too involved for the calculator. ' +
        'Plain ECMAScript only: no files, network, timers, require/import, process or environment. ' +
        `Limits: about 3 s of CPU, 32 MB of memory, 8 KB of output, ${MAX_CODE_CHARS} characters of code.`,
      schema,
    },
  );
}

function formatOutcome(outcome: RunCodeResult): string {
  const parts: string[] = [];
  if (!outcome.ok) parts.push(`Error: ${outcome.error ?? 'the code failed'}`);
  if (outcome.stdout !== '') parts.push(`stdout:\n${outcome.stdout}`);
  if (outcome.result !== undefined) parts.push(`result: ${outcome.result}`);
  if (parts.length === 0) parts.push('The code ran and printed nothing; its last expression was undefined.');
  return parts.join('\n');
}
