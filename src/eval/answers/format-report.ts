import { METRIC_INFO, type MetricName } from './metric-names.js';
import type { AnswerReport } from './types.js';
import type { WrittenReports } from './write-reports.js';

/** The terminal summary of an answer evaluation: averages, what needs a judge, where the reports are. */
export function formatAnswerReport(r: AnswerReport, written: WrittenReports): string {
  const lines = [
    `${r.dataset}: ${r.questions} questions (${r.answerable} answerable); agent ${r.mode}${r.model ? ` (${r.model})` : ''}; judge ${r.judge ?? 'none'}; embedder ${r.embedder}`,
    `${'metric'.padEnd(24)}${'mean'.padStart(8)}${'n'.padStart(6)}`,
  ];
  for (const [name, s] of Object.entries(r.averages)) {
    const info = METRIC_INFO[name as MetricName];
    lines.push(`${info.label.padEnd(24)}${s.mean.toFixed(4).padStart(8)}${String(s.n).padStart(6)}${info.higherIsBetter ? '' : '  (lower is better)'}`);
  }
  if (r.needsJudge.length > 0) {
    lines.push(`needs a judge (not computed): ${r.needsJudge.join(', ')}${r.judgeNote ? ` — ${r.judgeNote}` : ''}`);
  }
  lines.push(`reports: ${written.html}`, `         ${written.json}`, '');
  return lines.join('\n');
}
