import type { Agent } from '../../agent/index.js';
import type { Config } from '../../config/config.js';
import type { Embedder } from '../../core/embedder.js';
import type { Logger } from '../../core/logger.js';
import type { Reranker, Retriever } from '../../core/retriever.js';
import type { IngestProgress } from '../../ingest/index.js';
import { loadBeirDataset } from '../beir.js';
import { openEvalIndex } from '../eval-index.js';
import { averageMetrics, averagesByKind } from './aggregate.js';
import { casesFromDataset } from './cases.js';
import type { AnswerJudge } from './judge.js';
import { JUDGE_METRICS } from './metric-names.js';
import { RecordingRetriever } from './recording-retriever.js';
import { scoreCases } from './score-cases.js';
import type { AnswerReport, AnswerRow, EvalCase } from './types.js';

export interface AnswerEvalDeps {
  config: Pick<Config, 'dataDir' | 'ingest' | 'embedding' | 'retrieval' | 'llm'>;
  embedder: Embedder;
  logger: Logger;
  judge: AnswerJudge | null;
  /** Why there is no judge, for the report. */
  judgeNote?: string;
  /** Builds the agent under test over the retriever it must use (the CLI: `createAgent` with the configured tools). */
  makeAgent: (retriever: Retriever) => Agent;
  onAnswered?: (done: number, total: number) => void;
  /** Only the first n questions (a quick look). */
  limit?: number;
}

export interface DatasetEvalDeps extends AnswerEvalDeps {
  reranker: Reranker | null;
  progress: IngestProgress;
}

/** `cairn eval answers --dataset DIR`: indexes the set, asks the agent every question and scores the replies. */
export async function evaluateDataset(dir: string, deps: DatasetEvalDeps): Promise<AnswerReport> {
  const dataset = await loadBeirDataset(dir);
  const cases = casesFromDataset(dataset).slice(0, deps.limit ?? Infinity);
  const index = await openEvalIndex(dir, dataset.name, deps);
  try {
    return await evaluateCases(cases, { ...deps, retriever: index.retriever, accessGroups: index.accessGroups, docIdOf: index.corpusId }, { source: 'dataset', name: dataset.name });
  } finally {
    await index.close();
  }
}

export interface CaseEvalDeps extends AnswerEvalDeps {
  retriever: Retriever;
  accessGroups: string[];
  docIdOf: (source: string) => string;
}

/** Asks the agent `cases` over `retriever` and builds the report; also used to replay 👎 feedback against the live index. */
export async function evaluateCases(cases: readonly EvalCase[], deps: CaseEvalDeps, what: { source: AnswerReport['source']; name: string }): Promise<AnswerReport> {
  const recorder = new RecordingRetriever(deps.retriever);
  const agent = deps.makeAgent(recorder);
  let rows: AnswerRow[];
  try {
    rows = await scoreCases(cases, {
      agent, recorder, accessGroups: deps.accessGroups, k: deps.config.retrieval.k, docIdOf: deps.docIdOf, judge: deps.judge,
      ...(deps.onAnswered ? { onAnswered: deps.onAnswered } : {}),
    });
  } finally {
    await agent.close();
  }
  return {
    source: what.source,
    dataset: what.name,
    at: new Date().toISOString(),
    mode: agent.mode,
    model: agent.mode === 'agent' ? deps.config.llm.model : null,
    judge: deps.judge?.model ?? null,
    needsJudge: deps.judge ? [] : [...JUDGE_METRICS],
    ...(deps.judge || !deps.judgeNote ? {} : { judgeNote: deps.judgeNote }),
    embedder: deps.embedder.id,
    k: deps.config.retrieval.k,
    questions: rows.length,
    answerable: rows.filter((r) => r.answerable).length,
    averages: averageMetrics(rows),
    byKind: averagesByKind(rows),
    rows,
  };
}
