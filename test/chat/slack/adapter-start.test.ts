import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ReindexGate } from '../../../src/chat/shared/admin.js';
import { createSlackAdapter } from '../../../src/chat/slack/index.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack-server.js';
import { FakeIndexAdmin } from './harness.js';

let fake: FakeSlack;
afterEach(async () => fake?.close());

function adapter(socketMode: boolean) {
  const admin = new FakeIndexAdmin();
  return createSlackAdapter({
    chat: { ask: async () => ({ kind: 'notice', requestId: 'r', reason: 'error', text: 'x' }), delivery: () => ({ audience: { kind: 'person', userId: 'U1' }, groups: ['public'], visibility: 'shared' }), accessGroups: () => ['public'], remembers: async () => false },
    admin: { reindex: new ReindexGate(admin), index: admin },
    feedback: { record: async () => undefined },
    logger: pino({ level: 'silent' }),
  }, {
    config: { botToken: 'xoxb-bad', signingSecret: 's', appToken: 'xapp-bad', socketMode, apiUrl: fake.apiUrl, adminUserIds: [], allowedChannels: [] },
    options: { retryConfig: { retries: 0 } },
  });
}

describe('Slack adapter start-up', () => {
  it('fails with an actionable CONFIG error when Slack rejects the bot token', async () => {
    fake = await startFakeSlack();
    fake.failNext('auth.test', 'invalid_auth');
    await expect(adapter(false).start()).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringMatching(/invalid_auth.*SLACK_BOT_TOKEN/) });
  });

  it('fails with an actionable CONFIG error when Socket Mode cannot open a connection', async () => {
    fake = await startFakeSlack();
    fake.failNext('apps.connections.open', 'invalid_auth');
    const a = adapter(true);
    await expect(a.start()).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringMatching(/SLACK_APP_TOKEN/) });
    await a.stop();
  });

  it('checks the token once at start and needs no call per event', async () => {
    fake = await startFakeSlack();
    const a = adapter(false);
    expect(fake.calls).toHaveLength(0);
    await a.start();
    expect(fake.callsTo('auth.test')).toHaveLength(1);
    expect(fake.callsTo('auth.test')[0]!.token).toBe('xoxb-bad');
    await a.stop();
  });
});
