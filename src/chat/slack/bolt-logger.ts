import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';

/**
 * Routes Bolt's and the Web API client's logs into pino. Their debug output holds request bodies
 * (message text), so it goes to pino's `trace` and stays out of normal logs.
 */
export function boltLogger(log: Logger): BoltLogger {
  // Formatting is skipped for disabled levels: the Web API client logs on every call.
  const at = (level: 'trace' | 'debug' | 'warn' | 'error') => (...parts: unknown[]) => {
    if (log.isLevelEnabled(level)) log[level](parts.map(format).join(' ').slice(0, 500));
  };
  return {
    debug: at('trace'),
    info: at('debug'),
    warn: at('warn'),
    error: at('error'),
    // pino's level is the source of truth; Bolt may ask but not change it.
    setLevel: () => undefined,
    getLevel: () => (log.isLevelEnabled('trace') ? LogLevel.DEBUG : log.isLevelEnabled('info') ? LogLevel.INFO : log.isLevelEnabled('warn') ? LogLevel.WARN : LogLevel.ERROR),
    setName: () => undefined,
  };
}

function format(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return `${part.name}: ${part.message}`;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}
