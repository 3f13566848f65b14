import type { Config } from '../config/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { createRuntime, type Runtime } from '../runtime.js';
import type { CliContext } from './context.js';

/** Builds the runtime for one command and always closes it (workers, database handles). */
export async function withRuntime<T>(ctx: CliContext, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await createRuntime(ctx.config());
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

/** The logger of commands that build their own parts instead of a whole runtime. */
export function cliLogger(config: Config): Logger {
  return createLogger({ level: config.log.level, content: false });
}
