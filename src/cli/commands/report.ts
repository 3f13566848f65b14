import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { DEFAULT_MAX_DISTANCE, findGaps, type GapsReport } from '../../eval/gaps/find-gaps.js';
import { formatGaps, renderGapsHtml } from '../../eval/gaps/render.js';
import type { RegisterCommand } from '../context.js';
import { allAccessGroups, positiveInt, sinceDate } from '../options.js';
import { withFeedbackStore } from '../with-feedback-store.js';
import { withRuntime } from '../with-runtime.js';

interface GapsOptions {
  since?: string;
  json?: boolean;
  out?: string;
  top: number;
  maxDistance: number;
}

export const registerReport: RegisterCommand = (program, ctx) => {
  const report = program.command('report').description('Reports over what people asked.');
  report
    .command('gaps')
    .description('Group the questions the docs did not answer well (declined, not fully supported, 👎 or handed off to a person) into topics, with the closest documents and a title for the page to write.')
    .option('--since <date>', 'only questions asked on or after this ISO date', sinceDate)
    .option('--top <n>', 'groups to print', positiveInt(1000), 10)
    .option('--max-distance <d>', `cosine distance under which questions count as one topic (default ${DEFAULT_MAX_DISTANCE})`, distance, DEFAULT_MAX_DISTANCE)
    .option('--json', 'print the report as one JSON object')
    .option('--out <dir>', 'also write gaps-report.json and gaps-report.html here')
    .action(async (opts: GapsOptions) => {
      const { since } = opts;
      const config = ctx.config();
      const records = await withFeedbackStore(config, (store) => store.weakAnswers(since ? { since } : {}));
      const result: GapsReport = await withRuntime(ctx, async (rt) =>
        findGaps(records, {
          embedder: rt.embedder, retriever: rt.retriever, readable: await allAccessGroups(rt), maxDistance: opts.maxDistance, ...(since ? { since } : {}),
        }),
      );
      if (opts.out) await writeGapsReport(result, opts.out);
      ctx.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : formatGaps(result, opts.top));
      if (opts.out && !opts.json) ctx.stdout.write(`Wrote ${path.join(opts.out, 'gaps-report.html')} and gaps-report.json.\n`);
    });
};

async function writeGapsReport(report: GapsReport, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'gaps-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(dir, 'gaps-report.html'), renderGapsHtml(report));
}

function distance(text: string): number {
  const d = Number(text);
  if (!(d > 0 && d < 2)) throw new InvalidArgumentError('expected a number between 0 and 2');
  return d;
}
