import { afterEach, describe, expect, it } from 'vitest';
import { commandFields, sendCommand } from '../../fakes/slack-server.js';
import { ADMIN, SECRET, startHarness, type Harness } from './harness.js';

// The harness maps channel CHR to hr, gives U9 the groups hr and eng, and everyone else `public`.
let h: Harness;
afterEach(async () => h?.close());

async function ask(user: string, channel: string, id: string): Promise<{ responseType: unknown; groups: string[] }> {
  await sendCommand(h.url, SECRET, commandFields({ command: '/ask', text: 'what is the bonus?', user_id: user, channel_id: channel, response_url: h.fake.responseUrl(id) }));
  await h.fake.waitFor(() => h.fake.responsesTo(id).length === 1, 5000, `the /ask answer ${id}`);
  return { responseType: h.fake.responsesTo(id)[0]!.body.response_type, groups: h.answerer.requests.at(-1)!.accessGroups };
}

describe('Slack slash commands: who sees the answer decides what it may cite', () => {
  it('in a DM between two people, never applies the invoker’s private groups to a shared answer', async () => {
    h = await startHarness();
    // D42 is a DM between U9 and someone else: Cairn is not in it, so conversations.info does not know it.
    expect(await ask('U9', 'D42', 'a')).toEqual({ responseType: 'ephemeral', groups: ['hr', 'eng'] });
    expect(await ask('U1', 'D42', 'b')).toEqual({ responseType: 'in_channel', groups: ['public'] });
  });

  it('in Cairn’s own DM, answers with the user’s groups (only they see it)', async () => {
    h = await startHarness();
    h.fake.addIm('D1', 'U9');
    expect(await ask('U9', 'D1', 'a')).toEqual({ responseType: 'in_channel', groups: ['hr', 'eng'] });
  });

  it('in a channel, shares an answer limited to the channel’s groups unless the invoker’s would reach further', async () => {
    h = await startHarness();
    expect(await ask('U1', 'CHR', 'a')).toEqual({ responseType: 'in_channel', groups: ['hr'] });
    expect(await ask('U1', 'C7', 'b')).toEqual({ responseType: 'in_channel', groups: ['public'] });
    // U9 may read eng too: answered privately, with what U9 may read here.
    expect(await ask('U9', 'CHR', 'c')).toEqual({ responseType: 'ephemeral', groups: ['hr', 'eng'] });
  });

  it('treats a failed IM lookup as a shared conversation (the stricter answer)', async () => {
    h = await startHarness();
    h.fake.addIm('D1', 'U9');
    h.fake.failNext('conversations.info', 'ratelimited');
    expect(await ask('U1', 'D1', 'a')).toEqual({ responseType: 'in_channel', groups: ['public'] });
  });

  it('/cairn-status: a non-admin gets their conversation’s view, an admin everything', async () => {
    h = await startHarness();
    await sendCommand(h.url, SECRET, commandFields({ command: '/cairn-status', user_id: 'U1', channel_id: 'CHR', response_url: h.fake.responseUrl('s1') }));
    await sendCommand(h.url, SECRET, commandFields({ command: '/cairn-status', user_id: ADMIN, channel_id: 'CHR', response_url: h.fake.responseUrl('s2') }));
    await h.fake.waitFor(() => h.fake.responses.length === 2, 5000, 'both status replies');
    expect(h.admin.statusAsked).toContainEqual({ admin: false, groups: ['hr'], platform: 'slack', channelId: 'CHR' });
    expect(h.admin.statusAsked).toContainEqual({ admin: true });
    expect(h.fake.responses.every((r) => r.body.response_type === 'ephemeral')).toBe(true);
  });

  it('/cairn-sources in a DM between people lists what the invoker alone may read', async () => {
    h = await startHarness();
    await sendCommand(h.url, SECRET, commandFields({ command: '/cairn-sources', user_id: 'U9', channel_id: 'D42', response_url: h.fake.responseUrl('s') }));
    await h.fake.waitFor(() => h.fake.responsesTo('s').length === 1, 5000, 'the listing');
    expect(h.admin.sourcesAsked).toEqual([['hr', 'eng']]);
    expect(h.fake.responsesTo('s')[0]!.body.response_type).toBe('ephemeral');
  });
});
