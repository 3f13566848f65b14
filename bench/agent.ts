/**
 * Agent cost per answer on the common path, with the real createAgent and ChatOpenAI against the
 * local fake OpenAI server, whose every completion takes a fixed time.
 *   node --import tsx bench/agent.ts [--json] [--runs 10] [--latencies 500,1000]
 * Goals (agent issue): at most 3 model calls for a question answered from one retrieval, and
 * orchestration under 5% of end-to-end time. Each case runs a few times with no latency to warm up,
 * then --runs times at each fixed latency; figures are medians. CPU ms is the process's user+system
 * time per answer (the fake server shares the process), a figure the machine's load barely moves. Prints a table; with --json, one JSON object as the last line of stdout.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { Agent } from '../src/agent/index.js';
import { FakeOpenAI } from '../test/fakes/openai-server.js';
import { ask, calls, makeAgent, rewriteReply } from '../test/agent/helpers.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    runs: { type: 'string', default: '10' },
    latencies: { type: 'string', default: '500,1000' },
  },
});
const RUNS = Number(values.runs);
const LATENCIES = values.latencies.split(',').map(Number);
const WARM_UPS = 3;
const CALL_BUDGET = 3;
const OVERHEAD_GOAL = 0.05;

const CONFIDENT = 'How many days of paid annual leave do employees get per year?';
const VAGUE = 'I am at home and the dashboards will not load, what do I do?';
const VPN_ANSWER = 'Install WireGuard and import the profile from the IT portal [1]. The VPN is required for internal dashboards [1].';

interface Case {
  name: string;
  describe: string;
  question: string;
  expectedCalls: number;
  /** The grounding verdict every run must get; `supported` unless said. */
  verdict?: string;
  /** False for a case without model calls, whose time is all overhead by definition. */
  overheadGoal?: false;
  /** Installs the standing replies for this case; every reply waits `latencyMs` first. */
  script(fake: FakeOpenAI, latencyMs: number): void;
}

/** The three shapes of the common path, scripted as in test/agent/budget.test.ts. */
const CASES: Case[] = [
  {
    name: 'first-search',
    describe: '(a) answered from the first search',
    question: CONFIDENT,
    expectedCalls: 1,
    script: (fake, delayMs) => {
      fake.when(calls.answer, { content: 'Employees get 25 days of paid annual leave per calendar year [1].', delayMs });
    },
  },
  {
    name: 'rewritten',
    describe: '(b) needs rewriting',
    question: VAGUE,
    expectedCalls: 2,
    script: (fake, delayMs) => {
      fake.when(calls.rewrite, { ...rewriteReply('How do I connect to the VPN?', ['VPN WireGuard profile', 'remote access internal dashboards']), delayMs });
      fake.when(calls.answer, { content: VPN_ANSWER, delayMs });
    },
  },
  {
    name: 'rewritten+judged',
    describe: '(c) rewriting + borderline grounding check',
    question: VAGUE,
    expectedCalls: 3,
    script: (fake, delayMs) => {
      fake.when(calls.rewrite, { ...rewriteReply('How do I connect to the VPN?', ['VPN WireGuard profile']), delayMs });
      fake.when(calls.answer, { content: 'Remote staff typically reach dashboards by installing WireGuard [1].', delayMs });
      fake.when(calls.judge, { content: '{"supported": [1]}', delayMs });
    },
  },
  {
    name: 'nothing-found',
    describe: '(d) the docs never name what is asked and web search is off: declined without a model call',
    question: 'How do I deploy the wiki to Google Cloud Run?',
    expectedCalls: 0,
    verdict: 'unsupported',
    overheadGoal: false,
    script: () => undefined,
  },
];

interface Run {
  calls: number;
  serverRequests: number;
  promptTokens: number;
  completionTokens: number;
  endToEndMs: number;
  modelMs: number;
  cpuMs: number;
  verdict: string;
}

interface CaseResult {
  case: string;
  latency_ms: number;
  runs: number;
  llm_calls: number;
  expected_calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  end_to_end_ms: number;
  model_ms: number;
  overhead_ms: number;
  /** (end-to-end − time inside model calls) / end-to-end: graph, retrieval, prompts, grounding. */
  overhead_pct: number;
  /** Stricter: (end-to-end − calls × fixed latency) / end-to-end, so HTTP client and SSE parsing count too. */
  overhead_incl_client_pct: number;
  overhead_pct_max: number;
  /** Process CPU (user + system) per answer, agent and fake server together. */
  cpu_ms: number;
  verdicts: string[];
  ok: boolean;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round1 = (x: number) => Math.round(x * 10) / 10;
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const progress = (msg: string) => process.stderr.write(`[bench:agent] ${msg}\n`);

let threadSeq = 0;

/** One answer as a chat surface asks it: a new thread, progress events consumed, streaming on. */
async function answerOnce(agent: Agent, fake: FakeOpenAI, question: string): Promise<Run> {
  const before = fake.requests.length;
  let events = 0;
  const cpuAt = process.cpuUsage();
  const at = performance.now();
  const reply = await agent.answer(ask(question, { threadId: `bench-${++threadSeq}`, requestId: `r${threadSeq}`, onProgress: () => { events += 1; } }));
  const endToEndMs = performance.now() - at;
  const cpu = process.cpuUsage(cpuAt);
  if (events === 0) throw new Error('no progress events: the agent did not run as a chat surface sees it');
  return {
    calls: reply.llm.calls,
    serverRequests: fake.requests.length - before,
    promptTokens: reply.llm.promptTokens,
    completionTokens: reply.llm.completionTokens,
    endToEndMs,
    modelMs: reply.timingsMs.llm ?? 0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    verdict: reply.grounding.verdict,
  };
}

async function benchCase(agent: Agent, fake: FakeOpenAI, c: Case, latencyMs: number): Promise<CaseResult> {
  // Warm-up without latency (cheap): JIT of this path, the keep-alive connection, prompt cache.
  fake.reset();
  c.script(fake, 0);
  for (let i = 0; i < WARM_UPS; i++) await answerOnce(agent, fake, c.question);
  fake.reset();
  c.script(fake, latencyMs);
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await answerOnce(agent, fake, c.question));
  const overhead = runs.map((r) => (r.endToEndMs - r.modelMs) / r.endToEndMs);
  const overheadInclClient = runs.map((r) => (r.endToEndMs - r.calls * latencyMs) / r.endToEndMs);
  const verdicts = [...new Set(runs.map((r) => r.verdict))];
  const llmCalls = median(runs.map((r) => r.calls));
  const consistent = runs.every((r) => r.calls === c.expectedCalls && r.serverRequests === r.calls);
  return {
    case: c.name,
    latency_ms: latencyMs,
    runs: RUNS,
    llm_calls: llmCalls,
    expected_calls: c.expectedCalls,
    prompt_tokens: median(runs.map((r) => r.promptTokens)),
    completion_tokens: median(runs.map((r) => r.completionTokens)),
    end_to_end_ms: round1(median(runs.map((r) => r.endToEndMs))),
    model_ms: round1(median(runs.map((r) => r.modelMs))),
    overhead_ms: round1(median(runs.map((r) => r.endToEndMs - r.modelMs))),
    overhead_pct: round1(median(overhead) * 100),
    overhead_incl_client_pct: round1(median(overheadInclClient) * 100),
    overhead_pct_max: round1(Math.max(...overhead) * 100),
    cpu_ms: round1(median(runs.map((r) => r.cpuMs))),
    verdicts,
    ok: consistent && verdicts.length === 1 && verdicts[0] === (c.verdict ?? 'supported'),
  };
}

const started = performance.now();
const loadBefore = loadavg();
progress(`load average before: ${loadBefore}; ${RUNS} runs per case after ${WARM_UPS} warm-ups, latencies ${LATENCIES.join(', ')} ms`);
const fake = await FakeOpenAI.start();
const results: CaseResult[] = [];
try {
  for (const latencyMs of LATENCIES) {
    const { agent } = makeAgent(fake);
    try {
      for (const c of CASES) {
        const r = await benchCase(agent, fake, c, latencyMs);
        progress(`${latencyMs} ms ${c.name}: ${r.llm_calls} calls, overhead ${r.overhead_pct}% (${r.overhead_ms} ms)`);
        results.push(r);
      }
    } finally {
      await agent.close();
    }
  }
} finally {
  await fake.close();
}
const loadAfter = loadavg();
const wallS = round1((performance.now() - started) / 1000);

const header = ['latency', 'case', 'calls', 'prompt tok', 'compl tok', 'e2e ms', 'model ms', 'overhead ms', 'overhead %', 'incl client %', 'max %', 'cpu ms', 'verdict'];
const rows = results.map((r) => [
  `${r.latency_ms} ms`,
  r.case,
  `${r.llm_calls}${r.ok ? '' : ` (expected ${r.expected_calls})`}`,
  String(r.prompt_tokens),
  String(r.completion_tokens),
  String(r.end_to_end_ms),
  String(r.model_ms),
  String(r.overhead_ms),
  String(r.overhead_pct),
  String(r.overhead_incl_client_pct),
  String(r.overhead_pct_max),
  String(r.cpu_ms),
  r.verdicts.join('/'),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));

const maxCalls = Math.max(...results.map((r) => r.llm_calls));
const callsMet = maxCalls <= CALL_BUDGET;
/** Worst case median overhead at each latency: the goal is judged per latency. */
const worstOverhead = Object.fromEntries(
  LATENCIES.map((l) => [String(l), Math.max(...results.filter((r) => r.latency_ms === l && CASES.find((c) => c.name === r.case)?.overheadGoal !== false).map((r) => r.overhead_pct))]),
);
const overheadMet = Object.fromEntries(Object.entries(worstOverhead).map(([l, pct]) => [l, pct < OVERHEAD_GOAL * 100]));
console.log('');
console.log(`model calls per answer: at most ${maxCalls} (goal <= ${CALL_BUDGET}): ${callsMet ? 'met' : 'NOT met'}`);
for (const [l, pct] of Object.entries(worstOverhead)) {
  console.log(`orchestration overhead at ${l} ms per call: worst case median ${pct}% (goal < ${OVERHEAD_GOAL * 100}%): ${overheadMet[l] ? 'met' : 'NOT met'}`);
}
console.log(`load average: ${loadBefore} before, ${loadAfter} after (${availableParallelism()} cores); wall ${wallS} s`);
if (!results.every((r) => r.ok)) process.exitCode = 1;

if (values.json) {
  console.log(JSON.stringify({
    goals: { max_calls: CALL_BUDGET, max_overhead_pct: OVERHEAD_GOAL * 100 },
    calls_met: callsMet,
    worst_overhead_pct: worstOverhead,
    overhead_met: overheadMet,
    load_avg: { before: loadBefore, after: loadAfter },
    wall_s: wallS,
    results,
  }));
}
