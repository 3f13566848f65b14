import { start } from '../../app/start.js';
import type { RegisterCommand } from '../context.js';

export const registerStart: RegisterCommand = (program, ctx) => {
  program
    .command('start')
    .description('Index DOCS_DIR, connect Slack/Discord when configured, serve HTTP and open the terminal chat.')
    .option('--no-terminal', 'do not read questions from standard input')
    .action(async (opts: { terminal: boolean }) => {
      ctx.setExitCode(await start(ctx.config(), { stdin: process.stdin, stdout: ctx.stdout, stderr: ctx.stderr }, { terminal: opts.terminal }));
    });
};
