import { describe, expect, it } from 'vitest';
import { loggable } from '../../../src/chat/discord/log-safe.js';

describe('loggable', () => {
  it('keeps what explains a failed call but drops the request body and interaction tokens', () => {
    const err = Object.assign(new Error('Missing Permissions'), {
      name: 'DiscordAPIError[50013]', code: 50013, status: 403, method: 'PATCH',
      url: 'http://x/api/v10/webhooks/123/aW50ZXJhY3Rpb24tdG9rZW4/messages/@original',
      requestBody: { json: { content: 'the secret answer text' } },
    });
    const out = loggable(err);
    expect(out).toMatchObject({ code: 50013, status: 403, method: 'PATCH', url: 'http://x/api/v10/webhooks/123/[token]/messages/@original' });
    expect(JSON.stringify(out)).not.toMatch(/secret answer|aW50ZXJhY3Rpb24tdG9rZW4/);
  });
});
