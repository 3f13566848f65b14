import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import type { SandboxFile, SandboxLanguage } from './protocol.js';
import { LANGUAGES, MAX_CODE_CHARS, runCode, type RunCodeInput, type RunCodeLimits, type RunCodeResult } from './run-code.js';

export const RUN_CODE_TOOL_NAME = 'run_code';
/** Where Python finds the question's files. */
export const FILES_DIR = '/data';

const PYTHON_MODULES = 'statistics, decimal, fractions, datetime, csv, json, re, itertools, collections, math';

const MEMORY: Record<SandboxLanguage, string> = { javascript: '32 MB (JavaScript)', python: '128 MB (Python)' };

const DESCRIPTIONS: Record<SandboxLanguage, string> = {
  javascript: 'javascript: plain ECMAScript (print with console.log); no require/import, timers, process or environment.',
  python:
    `python: CPython 3 with the standard library only (e.g. ${PYTHON_MODULES}; no numpy or pandas); print() for output. ` +
    'No network, subprocesses, ctypes or host files.',
};

/**
 * The `run_code` tool: JavaScript (QuickJS) or Python (Pyodide) in a sandboxed child process (see
 * runCode). Never throws; failures come back as text starting "Error:". Files attached to the question
 * arrive through the call's `configurable.files` and are readable by Python under /data. Output format:
 *   stdout:\n<printed output>\nresult: <last expression value>
 */
export function createRunCodeTool(
  options: {
    languages?: readonly SandboxLanguage[];
    limits?: RunCodeLimits;
    run?: (input: RunCodeInput, limits?: RunCodeLimits, signal?: AbortSignal) => Promise<RunCodeResult>;
  } = {},
) {
  const languages = (options.languages ?? LANGUAGES).filter((l) => LANGUAGES.includes(l));
  const run = options.run ?? runCode;
  const schema = z.object({
    language: z.enum(languages as [SandboxLanguage, ...SandboxLanguage[]]).describe(`One of: ${languages.join(', ')}.`),
    code: z.string().describe('The program. What it prints and the value of its last expression are returned.'),
  });
  return tool(
    async (input, config) => {
      try {
        const files = attachedFiles(config?.configurable?.files);
        // The agent's signal: a cancelled answer kills the child at once, not at the wall-clock limit.
        return formatOutcome(await run({ ...input, ...(files.length > 0 ? { files } : {}) }, options.limits, config?.signal));
      } catch {
        return 'Error: the sandbox failed to run this code';
      }
    },
    {
      name: RUN_CODE_TOOL_NAME,
      description:
        'Runs a short program in an isolated sandbox and returns what it printed and the value of its last expression. ' +
        'Use it for data processing, statistics, date arithmetic or algorithms too involved for the calculator. ' +
        languages.map((l) => DESCRIPTIONS[l]).join(' ') +
        (languages.includes('python') ? ` Files attached to the question are read-only under ${FILES_DIR}/ (Python).` : '') +
        ` Limits: about 3 s, ${languages.map((l) => MEMORY[l]).join(' or ')} of memory, 8 KB of output, ${MAX_CODE_CHARS} characters of code.`,
      schema,
    },
  );
}

function attachedFiles(value: unknown): SandboxFile[] {
  if (!Array.isArray(value)) return [];
  return value.filter((f): f is SandboxFile => typeof f === 'object' && f !== null && typeof f.name === 'string' && typeof f.content === 'string');
}

function formatOutcome(outcome: RunCodeResult): string {
  const parts: string[] = [];
  if (!outcome.ok) parts.push(`Error: ${outcome.error ?? 'the code failed'}`);
  if (outcome.stdout !== '') parts.push(`stdout:\n${outcome.stdout}`);
  if (outcome.result !== undefined) parts.push(`result: ${outcome.result}`);
  if (parts.length === 0) parts.push('The code ran and printed nothing; its last expression was undefined.');
  return parts.join('\n');
}
