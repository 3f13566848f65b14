import { createCairn } from '../../app/cairn.js';
import { runTerminalChat } from '../../chat/terminal/terminal-chat.js';
import type { RegisterCommand } from '../context.js';

export const registerChat: RegisterCommand = (program, ctx) => {
  program
    .command('chat')
    .description('Chat with Cairn in the terminal over the current index (one question per line when piped).')
    .action(async () => {
      const cairn = await createCairn(ctx.config());
      try {
        await runTerminalChat({ chat: cairn.chat, input: process.stdin, output: ctx.stdout, status: ctx.stderr });
      } finally {
        await cairn.close();
      }
    });
};
