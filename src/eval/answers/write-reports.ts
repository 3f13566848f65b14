import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderHtmlReport } from './html-report.js';
import type { AnswerReport } from './types.js';

export interface WrittenReports {
  json: string;
  html: string;
}

/** Writes `answers-report.json` (every row) and `answers-report.html` into `outDir`. */
export async function writeReports(report: AnswerReport, outDir: string): Promise<WrittenReports> {
  await mkdir(outDir, { recursive: true });
  const json = path.join(outDir, 'answers-report.json');
  const html = path.join(outDir, 'answers-report.html');
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(html, renderHtmlReport(report));
  return { json, html };
}

/** Where reports go without --out: `<dataDir>/eval/reports/<name>-<UTC time>`. */
export function defaultReportDir(dataDir: string, name: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.join(dataDir, 'eval', 'reports', `${name}-${stamp}`);
}

/** The report without its rows: what `--json` prints. */
export function reportSummary(report: AnswerReport, written: WrittenReports) {
  const { rows: _rows, ...summary } = report;
  return { ...summary, reports: written };
}
