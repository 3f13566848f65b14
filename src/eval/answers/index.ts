export { evaluateDataset, evaluateCases, type AnswerEvalDeps } from './evaluate.js';
export { createJudge } from './judge.js';
export { casesFromFeedback } from './feedback-cases.js';
export { formatAnswerReport } from './format-report.js';
export { JUDGE_METRICS } from './metric-names.js';
export { defaultReportDir, reportSummary, writeReports } from './write-reports.js';
export type { AnswerReport } from './types.js';
