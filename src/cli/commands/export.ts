import { exportVerdict, toSftExample, writeSftFile, type SftExample } from '../../feedback/sft-export.js';
import { readPassages } from '../../feedback/index-passages.js';
import type { RegisterCommand } from '../context.js';
import { groupList, positiveInt, sinceDate } from '../options.js';
import { withFeedbackStore } from '../with-feedback-store.js';
import { cliLogger } from '../with-runtime.js';

export const registerExport: RegisterCommand = (program, ctx) => {
  const exportCmd = program.command('export').description('Export data for training.');
  exportCmd
    .command('sft')
    .description('Write 👍 conversations as chat "messages" JSONL (system/user/assistant) for TRL SFTTrainer or OpenAI fine-tuning, with emails, tokens and phone numbers masked.')
    .requiredOption('--out <file>', 'JSONL file to write')
    .option('--since <date>', 'only answers given on or after this ISO date', sinceDate)
    .option('--min-votes <n>', 'only answers with at least this many 👍 (and more 👍 than 👎)', positiveInt(1_000_000), 1)
    .option('--groups <groups>', 'access groups whose answers may be exported, comma-separated (default: PUBLIC_ACCESS_GROUPS)', groupList)
    .action(async (opts: { out: string; since?: string; minVotes: number; groups?: string[] }) => {
      const config = ctx.config();
      const allowed = opts.groups ?? config.access.publicGroups;
      const voted = await withFeedbackStore(config, (store) => store.voted({ vote: 'up', minVotes: opts.minVotes, ...(opts.since ? { since: opts.since } : {}) }));
      const verdicts = voted.map((e) => exportVerdict(e, allowed));
      const exchanges = voted.filter((_, i) => verdicts[i] === 'export');
      const passages = await readPassages(config, cliLogger(config), exchanges.flatMap((e) => e.citations.map((c) => c.chunkId)));
      const examples = exchanges.map((e) => toSftExample(e, passages)).filter((x): x is SftExample => x !== null);
      await writeSftFile(opts.out, examples);
      const count = (v: string) => verdicts.filter((x) => x === v).length;
      const left = [
        [exchanges.length - examples.length, 'quoted without a language model'],
        [count('outside_groups'), `drawing on groups beyond ${allowed.join(', ')} (name them with --groups to include them)`],
        [count('groups_unknown'), 'recorded before access groups were kept'],
      ].filter(([n]) => Number(n) > 0).map(([n, why]) => `${n} ${why}`);
      ctx.stdout.write(
        `Wrote ${examples.length} conversation${examples.length === 1 ? '' : 's'} (groups: ${allowed.join(', ')}) to ${opts.out}.\n` +
          (left.length > 0 ? `Left out: ${left.join('; ')}.\n` : ''),
      );
    });
};
