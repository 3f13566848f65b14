import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out. Message text is redacted unless LOG_CONTENT is on. */
const SECRET_PATHS = [
  '*.token', '*.apiKey', '*.api_key', '*.authorization', '*.Authorization', '*.password', '*.secret',
  'headers.authorization', 'req.headers.authorization', 'config.slack.botToken', 'config.slack.appToken',
  'config.slack.signingSecret', 'config.discord.token', 'config.llm.apiKey', 'config.embedding.apiKey',
];
const CONTENT_PATHS = ['text', 'question', 'answer', '*.text', '*.question', '*.answer'];
/** Where HTTP client errors keep the server's reply. */
const REPLY_FIELDS = ['error', 'body', 'response', 'headers', 'data'];

export function createLogger(opts: { level: string; content: boolean; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: { app: 'cairn' },
      redact: { paths: opts.content ? SECRET_PATHS : [...SECRET_PATHS, ...CONTENT_PATHS], censor: '[redacted]' },
      serializers: { err: errorSerializer(opts.content) },
    },
    // Logs go to stderr so stdout stays clean for `--json` output and piped chat.
    (opts.destination ?? process.stderr) as pino.DestinationStream,
  );
}

/**
 * How `err` is written. A value that is not an Error is a summary its caller already made log-safe
 * (the chat surfaces' `logError`) and is written as it is.
 */
function errorSerializer(content: boolean): (err: unknown) => unknown {
  return (err) => (!(err instanceof Error) ? err : content ? pino.stdSerializers.err(err) : errorWithoutReplies(err));
}

/**
 * An error as pino logs it, minus what a server replied. A model or embedding server's error body
 * can echo the prompt, retrieved passages included, so it is content: every error in the cause
 * chain that carries an HTTP status has its message (in `message` and `stack`) replaced by the status
 * alone, and its reply fields dropped.
 */
export function errorWithoutReplies(err: Error): unknown {
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const status = (e as { status?: unknown }).status;
    if (typeof status !== 'number' || !e.message) continue;
    const safe = `HTTP ${status} (reply redacted; LOG_CONTENT=true logs it)`;
    for (const key of ['message', 'stack'] as const) {
      if (typeof out[key] === 'string') out[key] = (out[key] as string).split(e.message).join(safe);
    }
  }
  for (const field of REPLY_FIELDS) delete out[field];
  return out;
}
