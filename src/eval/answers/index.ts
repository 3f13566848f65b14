export { evaluateDataset, evaluateCases, type AnswerEvalDeps, type CaseEvalDeps, type DatasetEvalDeps } from './evaluate.js';
export { createJudge, LlmJudge, type AnswerJudge, type JudgeInput, type JudgeResult } from './judge.js';
export { isDecline } from './judge-free.js';
export { JUDGE_METRICS, JUDGE_FREE_METRICS, METRIC_INFO, type MetricName } from './metric-names.js';
export { renderHtmlReport } from './html-report.js';
export { defaultReportDir, reportSummary, writeReports, type WrittenReports } from './write-reports.js';
export type { AnswerReport, AnswerRow, EvalCase, ContextPassage } from './types.js';
