import type { AnswerJudge } from './judge.js';
import { judgeFreeMetrics } from './judge-free.js';
import { runCase, type RunDeps } from './run-agent.js';
import type { AnswerRow, AnswerRun, EvalCase, JudgeVerdicts } from './types.js';
import type { MetricValues } from './metric-names.js';

export interface ScoreDeps extends RunDeps {
  judge: AnswerJudge | null;
  onAnswered?: (done: number, total: number) => void;
}

/** Puts every case to the agent, one at a time, and scores each reply (judge-free, then the judge's). */
export async function scoreCases(cases: readonly EvalCase[], deps: ScoreDeps): Promise<AnswerRow[]> {
  const rows: AnswerRow[] = [];
  for (const c of cases) {
    const run = await runCase(c, deps);
    const metrics: MetricValues = judgeFreeMetrics(c, run, deps.k);
    let verdicts: JudgeVerdicts | null = null;
    if (deps.judge) {
      const judged = await deps.judge.judge({
        question: c.question,
        answer: run.answer,
        answerable: c.answerable,
        declined: run.declined,
        ...(c.goldAnswer ? { goldAnswer: c.goldAnswer } : {}),
        contexts: run.contexts,
        citations: run.citations,
      });
      Object.assign(metrics, judged.metrics);
      verdicts = judged.verdicts;
    }
    rows.push(toRow(c, run, metrics, verdicts));
    deps.onAnswered?.(rows.length, cases.length);
  }
  return rows;
}

function toRow(c: EvalCase, run: AnswerRun, metrics: MetricValues, verdicts: JudgeVerdicts | null): AnswerRow {
  const cited = new Set(run.citations.map((cite) => cite.chunkId));
  return {
    id: c.id,
    kind: c.kind,
    answerable: c.answerable,
    question: c.question,
    history: c.history,
    ...(c.goldAnswer ? { goldAnswer: c.goldAnswer } : {}),
    goldDocs: [...c.goldDocs.entries()].filter(([, g]) => g > 0).sort((a, b) => b[1] - a[1]).map(([d]) => d),
    ...(c.evidence ? { evidence: c.evidence } : {}),
    ...(c.rejected ? { rejectedAnswer: c.rejected.answer, reasons: c.rejected.reasons } : {}),
    answer: run.answer,
    declined: run.declined,
    citations: run.citations,
    contexts: run.contexts.map((p, i) => ({ ...p, rank: i + 1, cited: cited.has(p.chunkId) })),
    metrics,
    verdicts,
    ms: run.ms,
  };
}
