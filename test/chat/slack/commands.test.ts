import { afterEach, describe, expect, it } from 'vitest';
import { buttonClick, commandFields, eventEnvelope, sendAction, sendCommand, sendEvent } from '../../fakes/slack-server.js';
import { ADMIN, SECRET, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

const command = (command: string, user: string, text = '', id = 'r1', channel = 'C1') =>
  commandFields({ command, text, user_id: user, channel_id: channel, response_url: h.fake.responseUrl(id) });

describe('Slack slash commands and buttons', () => {
  it('/ask acks with an ephemeral "Looking that up…" and then posts the answer in the channel', async () => {
    h = await startHarness();
    const res = await sendCommand(h.url, SECRET, command('/ask', 'U1', 'how do I deploy?'));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ response_type: 'ephemeral', text: 'Looking that up…' });
    await h.fake.waitFor(() => h.fake.responsesTo('r1').length === 1, 5000, 'the /ask answer');
    const body = h.fake.responsesTo('r1')[0]!.body as { response_type: string; blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[] };
    expect(body.response_type).toBe('in_channel');
    expect(JSON.stringify(body.blocks[0])).toContain('<@U1> asked:');
    expect(body.blocks.some((b) => b.text?.text.includes('Answer to: how do I deploy? [1]'))).toBe(true);
    expect(h.answerer.requests[0]).toMatchObject({ question: 'how do I deploy?', channelId: 'C1' });
  });

  it('/ask with no question explains how to use it', async () => {
    h = await startHarness();
    const res = await sendCommand(h.url, SECRET, command('/ask', 'U1', '  '));
    expect(JSON.parse(res.body).text).toMatch(/Ask a question after the command/);
    expect(h.answerer.requests).toHaveLength(0);
  });

  it('refuses /cairn-reindex from a non-admin, politely and without starting one', async () => {
    h = await startHarness();
    let started = false;
    h.admin.reindex = async () => {
      started = true;
      return 'x';
    };
    const res = await sendCommand(h.url, SECRET, command('/cairn-reindex', 'U1'));
    expect(JSON.parse(res.body)).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/only Cairn admins/) });
    expect(started).toBe(false);
  });

  it('refuses /cairn-reindex <source> from a non-admin, and tells an admin the known ids for an unknown one', async () => {
    h = await startHarness();
    let started = 0;
    h.admin.reindex = async () => String(++started);
    const refused = await sendCommand(h.url, SECRET, command('/cairn-reindex', 'U1', 'handbook'));
    expect(JSON.parse(refused.body)).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/only Cairn admins/) });
    const unknown = await sendCommand(h.url, SECRET, command('/cairn-reindex', ADMIN, 'wiki'));
    expect(JSON.parse(unknown.body)).toEqual({ response_type: 'ephemeral', text: 'There is no source "wiki". Known sources: docs, handbook. Name one of them, or run /cairn-reindex alone to sync them all.' });
    expect(started).toBe(0);
  });

  it('refuses /cairn-gaps to a non-admin, and lists an admin the topics this channel may see, privately', async () => {
    h = await startHarness();
    const refused = await sendCommand(h.url, SECRET, command('/cairn-gaps', 'U1'));
    expect(JSON.parse(refused.body)).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/only Cairn admins can see coverage gaps/) });
    expect(h.admin.gapsAsked).toEqual([]);
    const ok = await sendCommand(h.url, SECRET, command('/cairn-gaps', ADMIN, '', 'g1', 'CHR'));
    expect(JSON.parse(ok.body)).toMatchObject({ response_type: 'ephemeral' });
    await h.fake.waitFor(() => h.fake.responsesTo('g1').length === 1, 5000, 'the /cairn-gaps listing');
    const body = h.fake.responsesTo('g1')[0]!.body as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('1. *Rotate the VPN token* (2 questions)');
    expect(h.admin.gapsAsked).toEqual([['hr']]);
  });

  it('runs an admin /cairn-reindex with progress then done, and tells a concurrent one that one is running', async () => {
    h = await startHarness();
    const first = await sendCommand(h.url, SECRET, command('/cairn-reindex', ADMIN, 'handbook', 'ri1'));
    expect(JSON.parse(first.body).text).toMatch(/Re-indexing `handbook`/);
    const second = await sendCommand(h.url, SECRET, command('/cairn-reindex', ADMIN, '', 'ri2'));
    expect(JSON.parse(second.body).text).toMatch(/already running/);
    await h.fake.waitFor(() => h.fake.responsesTo('ri1').length >= 1, 5000, 'a progress post');
    h.admin.release();
    await h.fake.waitFor(() => h.fake.responsesTo('ri1').some((r) => String(r.body.text).startsWith('Re-index done')), 5000, 'the done post');
    const texts = h.fake.responsesTo('ri1').map((r) => String(r.body.text));
    expect(texts[0]).toContain('scanning handbook');
    expect(texts.at(-1)).toBe('Re-index done: 3 documents, 12 chunks');
    expect(h.fake.responsesTo('ri2')).toHaveLength(0);
    const third = await sendCommand(h.url, SECRET, command('/cairn-reindex', ADMIN, '', 'ri3'));
    expect(JSON.parse(third.body).text).toMatch(/Re-indexing everything/);
    h.admin.release();
  });

  it('/cairn-sources and /cairn-status answer ephemerally from the index', async () => {
    h = await startHarness();
    await sendCommand(h.url, SECRET, command('/cairn-sources', 'U1', '', 's1', 'CHR'));
    await sendCommand(h.url, SECRET, command('/cairn-status', 'U1', '', 's2'));
    await h.fake.waitFor(() => h.fake.responses.length === 2, 5000, 'both answers');
    expect(h.fake.responsesTo('s1')[0]!.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Deploy guide — `docs/deploy.md` (12 chunks') });
    expect(String(h.fake.responsesTo('s2')[0]!.body.text)).toContain('*Index:* 3 documents, 12 chunks');
    // Only what the channel may cite is listed: CHR reads the hr group.
    expect(h.admin.sourcesAsked).toEqual([['hr']]);
  });

  it('turns a failing admin call into a short apology with a reference', async () => {
    h = await startHarness();
    h.admin.status = async () => {
      throw new Error('disk on fire at /var/lib/cairn');
    };
    await sendCommand(h.url, SECRET, command('/cairn-status', 'U1', '', 'st'));
    await h.fake.waitFor(() => h.fake.responsesTo('st').length === 1, 5000, 'the apology');
    const text = String(h.fake.responsesTo('st')[0]!.body.text);
    expect(text).toMatch(/^Sorry — something went wrong with \/cairn-status\. \(ref [0-9a-f]{8}\)$/);
  });

  it('records a 👍 click against the answer’s requestId and thanks the user', async () => {
    h = await startHarness();
    await sendEvent(h.url, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UBOT> q', ts: '1699999999.000100' }));
    await h.fake.waitFor(() => h.fake.botMessages('C1')[0]?.blocks?.some((b) => b.type === 'actions') === true, 5000, 'the answer');
    const answer = h.fake.botMessages('C1')[0]!;
    const button = (answer.blocks!.find((b) => b.type === 'actions')!.elements as { action_id: string; value: string }[])[0]!;
    const res = await sendAction(h.url, SECRET, buttonClick({ actionId: button.action_id, value: button.value, user: 'U2', channel: 'C1', messageTs: answer.ts, response_url: h.fake.responseUrl('fb') }));
    expect(res.status).toBe(200);
    await h.fake.waitFor(() => h.fake.responsesTo('fb').length === 1, 5000, 'the thanks');
    expect(h.votes).toEqual([{ requestId: button.value, platform: 'slack', channelId: 'C1', userId: 'U2', vote: 'up', at: expect.any(String) }]);
    expect(h.fake.responsesTo('fb')[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: 'Thanks for the feedback!' });
  });
});
