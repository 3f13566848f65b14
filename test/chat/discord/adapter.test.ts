import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { GatewayIntentBits } from 'discord.js';
import { createDiscordAdapter } from '../../../src/chat/discord/index.js';
import { ChatService } from '../../../src/chat/shared/chat-service.js';
import { ReindexGate } from '../../../src/chat/shared/admin.js';
import { ScriptedAdmin, startHarness } from './harness.js';

describe('createDiscordAdapter', () => {
  it('identifies with the guild, guild message, message content and DM intents, using DISCORD_API_URL for REST', async () => {
    const h = await startHarness();
    try {
      const intents = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent | GatewayIntentBits.DirectMessages;
      expect(h.fake.identified).toMatchObject({ token: 'test-token', intents });
      expect(h.fake.calls[0]).toMatchObject({ method: 'GET', path: '/gateway/bot', authorization: 'Bot test-token' });
    } finally {
      await h.close();
    }
  });

  it('fails to start with an error naming what to check when Discord cannot be reached', async () => {
    const logger = pino({ level: 'silent' });
    const admin = new ScriptedAdmin();
    const chat = new ChatService({
      answerer: { answer: async () => { throw new Error('unused'); } },
      config: { access: { channels: {}, users: {}, publicGroups: ['public'], webSearchWithPrivateGroups: false }, limits: { maxQuestionChars: 100, ratePerMinute: 10, queueConcurrency: 1, queueMax: 1, attachmentMaxBytes: 5 * 1024 * 1024 } },
      logger,
    });
    const adapter = createDiscordAdapter({ chat, admin: { reindex: new ReindexGate(admin), index: admin }, feedback: { record: async () => {} }, logger }, {
      config: { token: 'bad', apiUrl: 'http://127.0.0.1:9/api', adminRoleIds: [], shardCount: 1, interactions: 'gateway' },
      options: { clientOptions: { rest: { retries: 0, timeout: 2000 } } },
    });
    await expect(adapter.start()).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringMatching(/DISCORD_TOKEN and DISCORD_API_URL/) });
    await adapter.stop();
  });
});
