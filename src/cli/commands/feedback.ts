import path from 'node:path';
import { withFullText, writeFeedbackDataset } from '../../feedback/feedback-dataset.js';
import { readPassages } from '../../feedback/index-passages.js';
import type { RegisterCommand } from '../context.js';
import { sinceDate } from '../options.js';
import { withFeedbackStore } from '../with-feedback-store.js';
import { cliLogger } from '../with-runtime.js';

export const registerFeedback: RegisterCommand = (program, ctx) => {
  const feedback = program.command('feedback').description('Work with 👍/👎 feedback on answers.');
  feedback
    .command('export')
    .description('Write every 👎 answer as an eval case: queries.jsonl + answers.jsonl (the rejected answer, its passages and the reasons).')
    .requiredOption('--out <dir>', 'folder to write queries.jsonl and answers.jsonl into')
    .option('--since <date>', 'only answers given on or after this ISO date', sinceDate)
    .action(async (opts: { out: string; since?: string }) => {
      const config = ctx.config();
      const rows = await withFeedbackStore(config, (store) => store.evalCases(opts.since ? { since: opts.since } : {}));
      const passages = await readPassages(config, cliLogger(config), rows.flatMap((r) => r.answer.contexts.map((c) => c.chunk_id)));
      const full = withFullText(rows, passages);
      const total = rows.reduce((n, r) => n + r.answer.contexts.length, 0);
      await writeFeedbackDataset(opts.out, rows);
      ctx.stdout.write(
        `Wrote ${rows.length} eval case${rows.length === 1 ? '' : 's'} to ${path.join(opts.out, 'queries.jsonl')} and answers.jsonl` +
          ` (${full} of ${total} passages with full text, the rest as citation snippets).\n` +
          (rows.length > 0 ? `Replay them with: cairn eval answers --from-feedback ${opts.out}\n` : ''),
      );
    });
};
