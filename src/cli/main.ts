import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config/config.js';
import { isCairnError } from '../core/errors.js';
import { commands } from './commands/index.js';
import type { CliContext } from './context.js';

/** Runs the CLI and returns the exit code. Errors a user can act on print one line, never a stack. */
export async function main(argv: string[], io: Pick<CliContext, 'stdout' | 'stderr'> = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = new Command('cairn')
    .description('Answers questions from your documents, with citations, in Slack, Discord and the terminal.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  let exitCode = 0;
  const ctx: CliContext = {
    ...io,
    config: () => {
      const config = loadConfig();
      // Info lines are for the long-running service; one-shot commands, and a terminal chat with no
      // platform connected, print their own output and would only be cluttered by JSON log lines.
      const terminalOnly = argv[2] === 'start' && io.stderr.isTTY === true && !config.slack && !config.discord;
      if (!config.log.explicit && (argv[2] !== 'start' || terminalOnly)) config.log.level = 'warn';
      return config;
    },
    setExitCode: (code) => { exitCode = code; },
  };
  for (const register of commands) register(program, ctx);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (isCairnError(err)) {
      io.stderr.write(`cairn: ${err.message}\n`);
      return err.code === 'CONFIG' || err.code === 'INPUT' ? 2 : 1;
    }
    throw err;
  }
}
