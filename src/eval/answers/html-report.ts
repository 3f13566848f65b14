import { caseScore, worstCases } from './aggregate.js';
import { escapeHtml as esc, histogramSvg, meanBar } from './html-charts.js';
import { METRIC_INFO, type MetricName } from './metric-names.js';
import type { AnswerReport, AnswerRow, JudgeVerdicts } from './types.js';

const WORST = 10;
const CONTEXT_CHARS = 700;

export const REPORT_STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d2330}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #dde;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border-bottom:1px solid #eef;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f5f6fa}.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#667}.ok{color:#17803d}.no{color:#b42318}
.charts{display:flex;flex-wrap:wrap;gap:1rem}
.hist rect{fill:#4f6bd8}.hist .axis{stroke:#99a}.hist .mean{stroke:#d9480f;stroke-dasharray:3 2}
.hist text{font-size:10px;fill:#445}.hist .t{font-size:11px;font-weight:600}.hist .n{text-anchor:middle}
.bar .track{fill:#eef}.bar .fill{fill:#4f6bd8}.bar .bad{fill:#d9480f}
.case{border:1px solid #dde;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.text{white-space:pre-wrap;background:#f7f8fb;padding:.5rem;border-radius:4px}
details{margin:.3rem 0}summary{cursor:pointer}
`;

/** The report as one self-contained HTML page: inline CSS and SVG, every dataset or model text escaped. */
export function renderHtmlReport(report: AnswerReport): string {
  const metrics = Object.keys(report.averages) as MetricName[];
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>Cairn answer evaluation: ${esc(report.dataset)}</title>`,
    `<style>${REPORT_STYLE}</style></head><body>`,
    `<h1>Answer evaluation: ${esc(report.dataset)}</h1>`,
    header(report),
    '<h2>Averages</h2>',
    averagesTable(report),
    '<h2>Distributions</h2>',
    `<div class="charts">${metrics.map((name) => histogramSvg(METRIC_INFO[name].label, values(report.rows, name))).join('')}</div>`,
    kindsTable(report, metrics),
    `<h2>Worst ${Math.min(WORST, report.rows.length)} cases</h2>`,
    worstCases(report.rows, WORST).map(caseBlock).join(''),
    '<h2>Every question</h2>',
    allRows(report.rows, metrics),
    '</body></html>',
  ].join('\n');
}

function header(r: AnswerReport): string {
  const judge = r.judge ? esc(r.judge) : `none${r.judgeNote ? ` (${esc(r.judgeNote)})` : ''}`;
  const needs = r.needsJudge.length > 0 ? `<p class="muted">Needs a judge model, not computed: ${r.needsJudge.map((m) => esc(METRIC_INFO[m].label)).join(', ')}.</p>` : '';
  return `<p>${r.questions} questions (${r.answerable} answerable) · ${r.source === 'feedback' ? '👎 feedback replay' : 'dataset'} · agent mode <b>${esc(r.mode)}</b>${r.model ? ` (${esc(r.model)})` : ''} · judge <b>${judge}</b> · embedder ${esc(r.embedder)} · k ${r.k} · ${esc(r.at)}</p>${needs}`;
}

function averagesTable(r: AnswerReport): string {
  const rows = Object.entries(r.averages).map(([name, s]) => {
    const info = METRIC_INFO[name as MetricName];
    return `<tr><td>${esc(info.label)}</td><td class="num">${s.mean.toFixed(4)}</td><td>${meanBar(s.mean, info.higherIsBetter)}</td><td class="num">${s.n}</td><td class="muted">${esc(info.what)}${info.higherIsBetter ? '' : ' (lower is better)'}</td></tr>`;
  });
  return `<table><tr><th>metric</th><th>mean</th><th></th><th>n</th><th>what it measures</th></tr>${rows.join('')}</table>`;
}

function kindsTable(r: AnswerReport, metrics: MetricName[]): string {
  const kinds = Object.keys(r.byKind);
  if (kinds.length < 2) return '';
  const head = metrics.map((m) => `<th>${esc(METRIC_INFO[m].label)}</th>`).join('');
  const body = kinds
    .map((kind) => `<tr><td>${esc(kind)}</td>${metrics.map((m) => `<td class="num">${fmt(r.byKind[kind]?.[m]?.mean)}</td>`).join('')}</tr>`)
    .join('');
  return `<h2>By kind</h2><table><tr><th>kind</th>${head}</tr>${body}</table>`;
}

function caseBlock(row: AnswerRow): string {
  const gold = new Set(row.goldDocs);
  const metrics = Object.entries(row.metrics)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><td>${esc(METRIC_INFO[k as MetricName].label)}</td><td class="num">${fmt(v)}</td></tr>`)
    .join('');
  const contexts = row.contexts
    .map((p) => {
      const tags = [p.cited ? 'cited' : '', gold.has(p.docId) ? 'gold' : ''].filter(Boolean).join(', ');
      const text = p.text.length > CONTEXT_CHARS ? `${p.text.slice(0, CONTEXT_CHARS)}…` : p.text;
      return `<details><summary>P${p.rank} ${esc(p.docId)}${tags ? ` <b>(${tags})</b>` : ''}</summary><div class="text">${esc(text)}</div></details>`;
    })
    .join('');
  return [
    `<div class="case"><h3>${esc(row.id)} · ${esc(row.kind)}${row.answerable ? '' : ' (unanswerable)'} · score ${caseScore(row).toFixed(2)}</h3>`,
    row.history.length > 0 ? `<p class="muted">Earlier in the thread: ${row.history.map((t) => `${esc(t.role)}: “${esc(t.text)}”`).join(' · ')}</p>` : '',
    `<p><b>Question.</b> ${esc(row.question)}</p>`,
    row.goldAnswer ? `<p><b>Gold answer.</b> ${esc(row.goldAnswer)}</p>` : '',
    row.goldDocs.length > 0 ? `<p class="muted">Gold documents: ${row.goldDocs.map(esc).join(', ')}</p>` : '',
    row.rejectedAnswer !== undefined ? `<p><b>Answer voted 👎.</b></p><div class="text">${esc(row.rejectedAnswer)}</div>${row.reasons?.length ? `<p class="muted">Reasons: ${row.reasons.map(esc).join(' · ')}</p>` : ''}` : '',
    `<p><b>Answer</b>${row.declined ? ' <span class="muted">(declines)</span>' : ''}:</p><div class="text">${esc(row.answer)}</div>`,
    `<table>${metrics}</table>`,
    verdictsHtml(row.verdicts),
    `<p><b>Contexts</b> (${row.contexts.length}):</p>${contexts}</div>`,
  ].join('');
}

function verdictsHtml(v: JudgeVerdicts | null): string {
  if (!v) return '';
  const mark = (ok: boolean) => (ok ? '<span class="ok">✓</span>' : '<span class="no">✗</span>');
  const parts: string[] = [];
  if (v.claims?.length) parts.push(`<p><b>Claims</b></p><ul>${v.claims.map((c) => `<li>${mark(c.supported)} ${esc(c.claim)}</li>`).join('')}</ul>`);
  if (v.citations?.length) parts.push(`<p><b>Citations</b></p><ul>${v.citations.map((c) => `<li>${mark(c.supported)} P${c.source}: ${esc(c.sentence)}</li>`).join('')}</ul>`);
  if (v.contexts?.length) parts.push(`<p><b>Useful contexts</b>: ${v.contexts.map((u, i) => `P${i + 1} ${mark(u)}`).join(' ')}</p>`);
  if (v.recall?.length) parts.push(`<p><b>Gold statements in the contexts</b></p><ul>${v.recall.map((s) => `<li>${mark(s.attributed)} ${esc(s.statement)}</li>`).join('')}</ul>`);
  if (v.questions) parts.push(`<p><b>Questions from the answer</b>${v.questions.noncommittal ? ' (non-committal)' : ''}: ${v.questions.generated.map((q) => `“${esc(q)}”`).join(' · ')}</p>`);
  if (v.errors?.length) parts.push(`<p class="no">Judge problems: ${v.errors.map(esc).join(' · ')}</p>`);
  return parts.join('');
}

function allRows(rows: readonly AnswerRow[], metrics: MetricName[]): string {
  const head = metrics.map((m) => `<th>${esc(METRIC_INFO[m].label)}</th>`).join('');
  const body = rows
    .map((r) => `<tr><td>${esc(r.id)}</td><td>${esc(r.kind)}</td><td>${esc(r.question)}</td>${metrics.map((m) => `<td class="num">${fmt(r.metrics[m])}</td>`).join('')}</tr>`)
    .join('');
  return `<table><tr><th>id</th><th>kind</th><th>question</th>${head}</tr>${body}</table>`;
}

function values(rows: readonly AnswerRow[], name: MetricName): number[] {
  return rows.map((r) => r.metrics[name]).filter((v): v is number => typeof v === 'number');
}

function fmt(v: number | null | undefined): string {
  return typeof v === 'number' ? v.toFixed(2) : '–';
}
