import { afterEach, describe, expect, it } from 'vitest';
import { commandFields, eventEnvelope } from '../../fakes/slack-server.js';
import { sectionText, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('Slack adapter over Socket Mode', () => {
  it('connects with the app token, acks a mention over the socket and answers it in the thread', async () => {
    h = await startHarness({ socketMode: true });
    expect(h.adapter.routes).toBeUndefined();
    expect(h.fake.callsTo('apps.connections.open')[0]!.token).toBe('xapp-test');
    expect(h.fake.socketConnections()).toBe(1);
    const ack = await h.fake.sendSocketEvent(eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UBOT> socket?', ts: '1699999999.000100' }));
    expect(ack).toEqual({});
    await h.fake.waitFor(() => (h.fake.botMessages('C1')[0]?.blocks ?? []).some((b) => b.type === 'actions'), 5000, 'the answer');
    const m = h.fake.botMessages('C1')[0]!;
    expect(m.thread_ts).toBe('1699999999.000100');
    expect(sectionText(m)).toContain('Answer to: socket? [1]');
    expect(h.fake.callsTo('chat.postMessage')[0]!.token).toBe('xoxb-test');
  });

  it('answers a retried envelope of the same event once', async () => {
    h = await startHarness({ socketMode: true });
    const env = eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UBOT> again', ts: '1699999999.000200' });
    await h.fake.sendSocketEvent(env);
    await h.fake.sendSocketEvent(env, 1);
    await h.fake.waitFor(() => (h.fake.botMessages('C1')[0]?.edits ?? 0) > 0, 5000, 'the answer');
    await new Promise((r) => setTimeout(r, 150));
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('returns a slash command’s ack payload over the socket', async () => {
    h = await startHarness({ socketMode: true });
    const ack = await h.fake.sendSocketCommand(commandFields({ command: '/ask', text: 'over the socket?', user_id: 'U1', channel_id: 'C1', response_url: h.fake.responseUrl('sk') }));
    expect(ack).toEqual({ response_type: 'ephemeral', text: 'Looking that up…' });
    await h.fake.waitFor(() => h.fake.responsesTo('sk').length === 1, 5000, 'the /ask answer');
    expect(h.fake.responsesTo('sk')[0]!.body.response_type).toBe('in_channel');
  });

  it('closes the socket on stop', async () => {
    h = await startHarness({ socketMode: true });
    await h.adapter.stop();
    await h.fake.waitFor(() => h.fake.socketConnections() === 0, 2000, 'the socket to close');
  });
});
