import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';

function capture(content: boolean): { log: ReturnType<typeof createLogger>; lines: () => string } {
  let out = '';
  const destination = new Writable({ write(chunk: Buffer, _enc, done) { out += chunk.toString(); done(); } });
  return { log: createLogger({ level: 'info', content, destination }), lines: () => out };
}

// Shaped like the openai SDK's APIError: an OpenAI-compatible server's error echoes the prompt, passages included.
const reply = 'prompt too long: <<source [1]>> the hr bonus is 12% (SECRET-HR-7731)';
const echoed = () => Object.assign(new Error(`400 ${reply}`), { name: 'BadRequestError', status: 400, error: { message: reply }, headers: {} });

describe('createLogger', () => {
  it('never writes a model server’s error body with LOG_CONTENT off, directly or as a cause', () => {
    const { log, lines } = capture(false);
    log.warn({ err: echoed() }, 'model call failed');
    log.warn({ err: new CairnError('LLM_UNAVAILABLE', 'The language model at http://x answered HTTP 400.', { cause: echoed() }) }, 'answering extractively');
    expect(lines()).not.toContain('SECRET-HR-7731');
    expect(lines()).not.toContain('bonus');
    expect(lines()).toContain('HTTP 400 (reply redacted');
    expect(lines()).toContain('The language model at http://x answered HTTP 400.');
    expect(lines()).toContain('"code":"LLM_UNAVAILABLE"');
  });

  it('keeps the body when LOG_CONTENT is on', () => {
    const { log, lines } = capture(true);
    log.warn({ err: echoed() }, 'model call failed');
    expect(lines()).toContain('SECRET-HR-7731');
  });

  it('redacts message text but keeps ordinary errors whole', () => {
    const { log, lines } = capture(false);
    log.info({ question: 'what is SECRET-Q?', err: new Error('ECONNREFUSED 127.0.0.1:9') }, 'x');
    expect(lines()).not.toContain('SECRET-Q');
    expect(lines()).toContain('ECONNREFUSED 127.0.0.1:9');
  });

  it('writes a summary a chat surface already made log-safe as it is', () => {
    const { log, lines } = capture(false);
    log.error({ err: { type: 'DiscordAPIError[50013]', message: 'Missing Permissions', code: 50013, status: 403 } }, 'x');
    expect(JSON.parse(lines()).err).toEqual({ type: 'DiscordAPIError[50013]', message: 'Missing Permissions', code: 50013, status: 403 });
  });
});
