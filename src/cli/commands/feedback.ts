import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Config } from '../../config/config.js';
import { withFullText, writeFeedbackDataset } from '../../feedback/feedback-dataset.js';
import { FeedbackStore } from '../../feedback/feedback-store.js';
import { readPassages } from '../../feedback/index-passages.js';
import type { RegisterCommand } from '../context.js';
import { cliLogger } from '../with-runtime.js';

/** `--since 2025-01-31` (or a full ISO time) as the ISO string the feedback store compares against. */
export function sinceDate(value: string): string {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) throw new InvalidArgumentError('expected an ISO date such as 2025-01-31 or 2025-01-31T12:00:00Z');
  return new Date(ms).toISOString();
}

/** Reads the feedback store once and always closes it. */
export function withFeedbackStore<T>(config: Config, fn: (store: FeedbackStore) => T): T {
  const store = new FeedbackStore(config.dataDir);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

export const registerFeedback: RegisterCommand = (program, ctx) => {
  const feedback = program.command('feedback').description('Work with 👍/👎 feedback on answers.');
  feedback
    .command('export')
    .description('Write every 👎 answer as an eval case: queries.jsonl + answers.jsonl (the rejected answer, its passages and the reasons).')
    .requiredOption('--out <dir>', 'folder to write queries.jsonl and answers.jsonl into')
    .option('--since <date>', 'only answers given on or after this ISO date', sinceDate)
    .action(async (opts: { out: string; since?: string }) => {
      const config = ctx.config();
      const rows = withFeedbackStore(config, (store) => store.evalCases(opts.since ? { since: opts.since } : {}));
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
