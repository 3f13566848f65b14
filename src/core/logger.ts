import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out. Message text is redacted unless LOG_CONTENT is on. */
const SECRET_PATHS = [
  '*.token', '*.apiKey', '*.api_key', '*.authorization', '*.Authorization', '*.password', '*.secret',
  'headers.authorization', 'req.headers.authorization', 'config.slack.botToken', 'config.slack.appToken',
  'config.slack.signingSecret', 'config.discord.token', 'config.llm.apiKey', 'config.embedding.apiKey',
];
const CONTENT_PATHS = ['text', 'question', 'answer', '*.text', '*.question', '*.answer'];

export function createLogger(opts: { level: string; content: boolean; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: { app: 'cairn' },
      redact: { paths: opts.content ? SECRET_PATHS : [...SECRET_PATHS, ...CONTENT_PATHS], censor: '[redacted]' },
    },
    // Logs go to stderr so stdout stays clean for `--json` output and piped chat.
    (opts.destination ?? process.stderr) as pino.DestinationStream,
  );
}
