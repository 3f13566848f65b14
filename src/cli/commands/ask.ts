import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createAnsweringAgent } from '../../app/answering-agent.js';
import { renderReply } from '../../chat/terminal/render.js';
import type { RegisterCommand } from '../context.js';
import { allAccessGroups, groupList } from '../options.js';
import { withRuntime } from '../with-runtime.js';
import { requireText } from '../required-text.js';
import { CairnError } from '../../core/errors.js';
import { sandboxFiles } from '../../tools/sandbox/attachments.js';
import type { QuestionFile } from '../../core/answer.js';

export const registerAsk: RegisterCommand = (program, ctx) => {
  program
    .command('ask')
    .description('Answer one question from the index, with citations.')
    .argument('<question>', 'the question')
    .option('--groups <groups>', 'comma-separated access groups to answer from (default: all)', groupList)
    .option('--json', 'print the full reply as JSON')
    .option('--file <path>', 'a text file (CSV, JSON, TXT) the agent may read with run_code; repeatable', (p: string, all: string[]) => [...all, p], [] as string[])
    .action(async (asked: string, opts: { groups?: string[]; json?: boolean; file: string[] }) => {
      // The same hint as an empty message in chat.
      const question = requireText(asked, 'The question is empty. Ask me a question about the docs, e.g. cairn ask "How do I re-index?"');
      const files = await readAttachments(opts.file);
      await withRuntime(ctx, async (rt) => {
        const agent = createAnsweringAgent(rt, rt.config);
        try {
          const accessGroups = opts.groups ?? (await allAccessGroups(rt));
          const reply = await agent.answer({
            question, asker: { id: 'cli' }, platform: 'cli', channelId: 'cli', history: [], accessGroups, requestId: randomUUID(),
            ...(files.length > 0 ? { files } : {}),
          });
          ctx.stdout.write(opts.json ? `${JSON.stringify(reply, null, 2)}\n` : `${renderReply(reply)}\n`);
        } finally {
          await agent.close();
        }
      });
    });
};

/** The --file paths as checked text files, before any index or model is touched. */
async function readAttachments(paths: string[]): Promise<QuestionFile[]> {
  const read = await Promise.all(
    paths.map(async (path) => {
      try {
        return { name: basename(path), bytes: await readFile(path) };
      } catch (err) {
        throw new CairnError('INPUT', `Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, { cause: err });
      }
    }),
  );
  return sandboxFiles(read);
}
