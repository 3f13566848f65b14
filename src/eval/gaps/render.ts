import { REPORT_STYLE } from '../answers/html-report.js';
import { escapeHtml as esc } from '../answers/html-charts.js';
import type { GapGroup, GapsReport } from './find-gaps.js';

/** The report as text for a terminal: one block per group, largest first. */
export function formatGaps(report: GapsReport, top: number): string {
  const head = `${report.questions} weak answers${report.since ? ` since ${report.since}` : ''} in ${report.groups.length} groups`;
  if (report.groups.length === 0) return `${head}: nothing to report.\n`;
  const blocks = report.groups.slice(0, top).map((g, i) =>
    [
      `${i + 1}. ${g.suggestedTitle}  (${g.size} question${g.size === 1 ? '' : 's'}; ${outcomes(g)})`,
      `   terms: ${g.terms.join(', ')}`,
      ...g.examples.map((q) => `   - ${q}`),
      `   closest docs: ${g.closest.length ? g.closest.map((d) => d.title).join('; ') : 'none'}`,
    ].join('\n'),
  );
  return `${head}\n\n${blocks.join('\n\n')}\n`;
}

export function outcomes(g: GapGroup): string {
  const parts = [`${g.outcomes.unsupported} declined or unsupported`, `${g.outcomes.partial} partly supported`, `${g.outcomes.downVotes} 👎`];
  return parts.join(', ');
}

/** One self-contained page in the answer report's style; every question and title escaped. */
export function renderGapsHtml(report: GapsReport): string {
  const rows = report.groups.map(
    (g, i) => `<div class="case"><h3>${i + 1}. ${esc(g.suggestedTitle)}</h3>
<p class="muted">${g.size} question${g.size === 1 ? '' : 's'} · ${esc(outcomes(g))} · terms: ${esc(g.terms.join(', '))}</p>
<ul>${g.examples.map((q) => `<li>${esc(q)}</li>`).join('')}</ul>
<p>Closest documents: ${g.closest.length ? g.closest.map((d) => (d.url ? `<a href="${esc(d.url)}">${esc(d.title)}</a>` : esc(d.title)) + ` <span class="muted">${esc(d.source)}</span>`).join(' · ') : '<span class="muted">none</span>'}</p></div>`,
  );
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1"><title>Cairn coverage gaps</title>',
    `<style>${REPORT_STYLE}</style></head><body>`,
    '<h1>Coverage gaps</h1>',
    `<p class="muted">${report.questions} weak answers (declined, not fully supported or 👎)${report.since ? ` since ${esc(report.since)}` : ''}, in ${report.groups.length} groups, largest first.</p>`,
    ...rows,
    '</body></html>',
  ].join('\n');
}
