import type { Config } from '../config/config.js';

/** What every command receives: where to print and how to get the (lazily validated) config. */
export interface CliContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  config: () => Config;
  setExitCode: (code: number) => void;
}

export type RegisterCommand = (program: import('commander').Command, ctx: CliContext) => void;
