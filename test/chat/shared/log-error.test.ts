import { describe, expect, it } from 'vitest';
import { logError } from '../../../src/chat/shared/log-error.js';

describe('logError', () => {
  it('keeps what explains a failed Discord call but drops the request body and interaction tokens', () => {
    const err = Object.assign(new Error('Missing Permissions'), {
      name: 'DiscordAPIError[50013]', code: 50013, status: 403, method: 'PATCH',
      url: 'http://x/api/v10/webhooks/123/aW50ZXJhY3Rpb24tdG9rZW4/messages/@original',
      requestBody: { json: { content: 'the secret answer text' } },
    });
    const out = logError(err);
    expect(out).toMatchObject({ code: 50013, status: 403, method: 'PATCH', url: 'http://x/api/v10/webhooks/123/[token]/messages/@original' });
    expect(JSON.stringify(out)).not.toMatch(/secret answer|aW50ZXJhY3Rpb24tdG9rZW4/);
  });

  it('keeps a Slack error’s name, code, Slack error string, stack and cause, never the reply or the client’s token', () => {
    const original = Object.assign(new Error('socket hang up'), { config: { headers: { Authorization: 'Bearer xoxb-secret-token' } } });
    const err = Object.assign(new Error('An API error occurred: not_in_channel'), {
      code: 'slack_webapi_platform_error', data: { ok: false, error: 'not_in_channel', messages: ['the answer text'] }, original, cause: original,
    });
    const out = logError(err);
    expect(out).toMatchObject({ type: 'Error', message: 'An API error occurred: not_in_channel', code: 'slack_webapi_platform_error', apiError: 'not_in_channel' });
    expect(out.stack).toContain('An API error occurred');
    expect(out.cause).toMatchObject({ message: 'socket hang up' });
    expect(JSON.stringify(out)).not.toMatch(/xoxb-secret-token|the answer text/);
  });

  it('describes a thrown non-Error by its value', () => {
    expect(logError('boom')).toEqual({ type: 'string', message: 'boom' });
  });
});
