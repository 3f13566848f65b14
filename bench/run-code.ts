/**
 * run_code latency and memory, Python beside JavaScript: cold start (a child that loads its interpreter
 * while the caller waits), warm p50/p95 from tool call to result for a small script (the spare Python
 * child already loaded, as in `cairn start`), and the resident memory of a waiting Python child.
 *   node --import tsx bench/run-code.ts [--runs 30] [--json]
 * Goal (issue 16): warm Python p95 ≤ 500 ms. Prints a table; with --json, one JSON object as the last line.
 */
import { readFileSync } from 'node:fs';
import { closeCodeRunner, pythonSandbox, runCode, type RunCodeInput } from '../src/tools/sandbox/run-code.js';

const json = process.argv.includes('--json');
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 30;
const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

const SMALL: Record<RunCodeInput['language'], string> = {
  python: 'import statistics\nxs = [3, 1, 4, 1, 5, 9, 2, 6]\nprint(statistics.mean(xs), statistics.median(xs))\nsum(x * x for x in xs)',
  javascript: 'const xs = [3, 1, 4, 1, 5, 9, 2, 6]; console.log(xs.reduce((a, b) => a + b) / xs.length); xs.reduce((a, x) => a + x * x, 0)',
};

async function timed(input: RunCodeInput): Promise<number> {
  const started = performance.now();
  const outcome = await runCode(input);
  if (!outcome.ok) throw new Error(`${input.language} failed: ${outcome.error}`);
  return performance.now() - started;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN);
}

/** Resident memory of the one child process of this process that is running the Python entry. */
function warmChildRssMb(): number | undefined {
  const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/u).filter(Boolean);
  for (const pid of children) {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('python-child')) return Math.round((Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096) / 1048576);
  }
  return undefined;
}

const results: Record<string, { cold_ms: number; warm_p50_ms: number; warm_p95_ms: number; idle_rss_mb?: number }> = {};

progress('python: cold start (no spare child)');
closeCodeRunner();
const pythonCold = await timed({ language: 'python', code: SMALL.python });
const pythonWarm: number[] = [];
for (let i = 0; i < RUNS; i++) {
  // The caller of a warm run finds the spare loaded: wait for it as an idle bot would between questions.
  await pythonSandbox().ready();
  pythonWarm.push(await timed({ language: 'python', code: SMALL.python }));
}
await pythonSandbox().ready();
results.python = { cold_ms: Math.round(pythonCold), warm_p50_ms: percentile(pythonWarm, 50), warm_p95_ms: percentile(pythonWarm, 95), ...(process.platform === 'linux' ? { idle_rss_mb: warmChildRssMb() } : {}) };
closeCodeRunner();

progress('javascript: every run starts its own QuickJS child');
const jsRuns: number[] = [];
for (let i = 0; i < RUNS; i++) jsRuns.push(await timed({ language: 'javascript', code: SMALL.javascript }));
// QuickJS has no warm child: each run is a cold start, so cold is the first run and p50/p95 are over all.
results.javascript = { cold_ms: Math.round(jsRuns[0] ?? NaN), warm_p50_ms: percentile(jsRuns, 50), warm_p95_ms: percentile(jsRuns, 95) };

const rows = [['language', 'cold start', 'warm p50', 'warm p95', 'idle child RSS']];
for (const [language, r] of Object.entries(results)) {
  rows.push([language, `${r.cold_ms} ms`, `${r.warm_p50_ms} ms`, `${r.warm_p95_ms} ms`, r.idle_rss_mb === undefined ? '—' : `${r.idle_rss_mb} MB`]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join('  '));
console.log(`runs per language: ${RUNS}; goal: warm Python p95 ≤ 500 ms`);
if (json) console.log(JSON.stringify({ runs: RUNS, ...results }));
