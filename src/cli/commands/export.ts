import { toSftExample, writeSftFile, type SftExample } from '../../feedback/sft-export.js';
import { readPassages } from '../../feedback/index-passages.js';
import type { RegisterCommand } from '../context.js';
import { cliLogger } from '../with-runtime.js';
import { sinceDate, withFeedbackStore } from './feedback.js';
import { positiveInt } from './search.js';

export const registerExport: RegisterCommand = (program, ctx) => {
  const exportCmd = program.command('export').description('Export data for training.');
  exportCmd
    .command('sft')
    .description('Write 👍 conversations as chat "messages" JSONL (system/user/assistant) for TRL SFTTrainer or OpenAI fine-tuning, with emails, tokens and phone numbers masked.')
    .requiredOption('--out <file>', 'JSONL file to write')
    .option('--since <date>', 'only answers given on or after this ISO date', sinceDate)
    .option('--min-votes <n>', 'only answers with at least this many 👍 (and more 👍 than 👎)', positiveInt(1_000_000), 1)
    .action(async (opts: { out: string; since?: string; minVotes: number }) => {
      const config = ctx.config();
      const exchanges = withFeedbackStore(config, (store) => store.voted({ vote: 'up', minVotes: opts.minVotes, ...(opts.since ? { since: opts.since } : {}) }));
      const passages = await readPassages(config, cliLogger(config), exchanges.flatMap((e) => e.citations.map((c) => c.chunkId)));
      const examples = exchanges.map((e) => toSftExample(e, passages)).filter((x): x is SftExample => x !== null);
      await writeSftFile(opts.out, examples);
      const skipped = exchanges.length - examples.length;
      ctx.stdout.write(
        `Wrote ${examples.length} conversation${examples.length === 1 ? '' : 's'} to ${opts.out}` +
          `${skipped > 0 ? ` (${skipped} skipped: quoted without a language model)` : ''}.\n`,
      );
    });
};
