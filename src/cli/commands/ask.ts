import { randomUUID } from 'node:crypto';
import { createAnsweringAgent } from '../../app/answering-agent.js';
import { renderReply } from '../../chat/terminal/render.js';
import type { RegisterCommand } from '../context.js';
import { allAccessGroups, groupList } from '../options.js';
import { withRuntime } from '../with-runtime.js';
import { requireText } from '../required-text.js';

export const registerAsk: RegisterCommand = (program, ctx) => {
  program
    .command('ask')
    .description('Answer one question from the index, with citations.')
    .argument('<question>', 'the question')
    .option('--groups <groups>', 'comma-separated access groups to answer from (default: all)', groupList)
    .option('--json', 'print the full reply as JSON')
    .action(async (asked: string, opts: { groups?: string[]; json?: boolean }) => {
      // The same hint as an empty message in chat.
      const question = requireText(asked, 'The question is empty. Ask me a question about the docs, e.g. cairn ask "How do I re-index?"');
      await withRuntime(ctx, async (rt) => {
        const agent = createAnsweringAgent(rt, rt.config);
        try {
          const accessGroups = opts.groups ?? (await allAccessGroups(rt));
          const reply = await agent.answer({
            question, asker: { id: 'cli' }, platform: 'cli', channelId: 'cli', history: [], accessGroups, requestId: randomUUID(),
          });
          ctx.stdout.write(opts.json ? `${JSON.stringify(reply, null, 2)}\n` : `${renderReply(reply)}\n`);
        } finally {
          await agent.close();
        }
      });
    });
};
