import { afterEach, describe, expect, it } from 'vitest';
import { buttonClick, eventEnvelope, sendAction, sendEvent, viewSubmission } from '../../fakes/slack-server.js';
import { SECRET, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

/** Asks once and clicks one of the answer's feedback buttons; returns the click's trigger_id and requestId. */
async function click(which: 'up' | 'down', user = 'U2') {
  await sendEvent(h.url, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UBOT> q', ts: '1699999999.000100' }));
  await h.fake.waitFor(() => h.fake.botMessages('C1')[0]?.blocks?.some((b) => b.type === 'actions') === true, 5000, 'the answer');
  const answer = h.fake.botMessages('C1')[0]!;
  const button = (answer.blocks!.find((b) => b.type === 'actions')!.elements as { action_id: string; value: string }[]).find((b) => b.action_id === `cairn_feedback_${which}`)!;
  const payload = buttonClick({ actionId: button.action_id, value: button.value, user, channel: 'C1', messageTs: answer.ts, response_url: h.fake.responseUrl('fb') });
  expect((await sendAction(h.url, SECRET, payload)).status).toBe(200);
  await h.fake.waitFor(() => h.fake.responsesTo('fb').length === 1, 5000, 'the thanks');
  return { triggerId: String(payload.trigger_id), requestId: button.value };
}

const submit = (privateMetadata: string, reason: string | null, user = 'U2') =>
  sendAction(h.url, SECRET, viewSubmission({ callbackId: 'cairn_feedback_reason', user, privateMetadata, values: { reason: { reason_text: reason } } }));

describe('Slack 👎 reason modal', () => {
  it('records the 👎, then opens a modal on the click’s trigger_id carrying the requestId', async () => {
    h = await startHarness();
    const { triggerId, requestId } = await click('down');
    expect(h.votes).toEqual([{ requestId, platform: 'slack', channelId: 'C1', userId: 'U2', vote: 'down', at: expect.any(String) }]);
    const opens = h.fake.callsTo('views.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]!.args.trigger_id).toBe(triggerId);
    const view = (typeof opens[0]!.args.view === 'string' ? JSON.parse(opens[0]!.args.view) : opens[0]!.args.view) as Record<string, unknown>;
    expect(view).toMatchObject({ type: 'modal', callback_id: 'cairn_feedback_reason', title: { text: 'What was wrong?' } });
    expect(JSON.parse(String(view.private_metadata))).toEqual({ requestId, channelId: 'C1' });
    expect(JSON.stringify(view.blocks)).toContain('"multiline":true');
  });

  it('records the submitted reason as the same 👎 again, and only acks an empty one', async () => {
    h = await startHarness();
    const { requestId } = await click('down');
    const metadata = JSON.stringify({ requestId, channelId: 'C1' });
    const empty = await submit(metadata, '   ');
    expect(empty.status).toBe(200);
    const res = await submit(metadata, '  It cited the old deploy guide.  ');
    expect(res.status).toBe(200);
    await h.fake.waitFor(() => h.votes.length === 2, 5000, 'the reason');
    expect(h.votes[1]).toEqual({ requestId, platform: 'slack', channelId: 'C1', userId: 'U2', vote: 'down', reason: 'It cited the old deploy guide.', at: expect.any(String) });
    await new Promise((r) => setTimeout(r, 100));
    expect(h.votes).toHaveLength(2);
  });

  it('tells the user, where they voted, when the reason could not be recorded', async () => {
    h = await startHarness({
      record: async (v, votes) => {
        if (v.reason) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        votes.push(v);
      },
    });
    const { requestId } = await click('down');
    expect((await submit(JSON.stringify({ requestId, channelId: 'C1' }), 'Wrong page')).status).toBe(200);
    await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral').length === 1, 5000, 'the apology');
    expect(h.fake.callsTo('chat.postEphemeral')[0]!.args).toMatchObject({ channel: 'C1', user: 'U2', text: expect.stringMatching(/^Sorry — I could not record your reason\. \(ref [0-9a-f]{8}\)$/) });
  });

  it('keeps the vote and thanks the user when the modal cannot be opened', async () => {
    h = await startHarness();
    h.fake.failNext('views.open', 'expired_trigger_id');
    await click('down');
    expect(h.fake.callsTo('views.open')).toHaveLength(1);
    expect(h.votes).toHaveLength(1);
    expect(h.fake.responsesTo('fb')[0]!.body).toMatchObject({ text: 'Thanks for the feedback!' });
  });

  it('opens no modal for a 👍', async () => {
    h = await startHarness();
    await click('up');
    expect(h.votes.map((v) => v.vote)).toEqual(['up']);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
  });
});
