import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordPayload, RecordedCall } from '../../fakes/discord-server.js';
import { ALICE, CHANNEL_A, reply, startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  h.answer = async () => reply('Rated answer [1].');
});
afterAll(async () => {
  await h?.close();
});

/** Mentions the bot, waits for the answer with its vote buttons, and returns it with its request id. */
async function answered(question: string): Promise<{ answer: DiscordPayload; requestId: string }> {
  const asked = h.fake.say(CHANNEL_A, `<@${h.fake.botUser.id}> ${question}`);
  const answer = await h.fake.until(() => h.botMessages(asked.id).find((m) => m.components.length > 0));
  return { answer, requestId: h.requests.at(-1)!.requestId! };
}

const callbackOf = (it: { id: string; token: string }) => (c: RecordedCall): boolean => c.path === `/interactions/${it.id}/${it.token}/callback`;

describe('Discord adapter: 👎 reason', () => {
  it('records a 👎 and answers the click with the reason form, then adds the submitted reason and thanks privately', async () => {
    const { answer, requestId } = await answered('Rate me down');
    const click = h.fake.click(answer, `cairn:vote:down:${requestId}`, ALICE.id);
    const shown = await h.fake.waitFor(callbackOf(click));
    expect(shown.body.type).toBe(9);
    expect(shown.body.data.custom_id).toBe(`cairn_reason:${requestId}`);
    expect(shown.body.data.custom_id.length).toBeLessThanOrEqual(100);
    expect(shown.body.data.components).toEqual([
      expect.objectContaining({ type: 18, component: expect.objectContaining({ type: 4, style: 2, required: false }) }),
    ]);
    expect(h.fake.calls.filter(callbackOf(click))).toHaveLength(1); // the modal is the click's only response
    expect(h.votes.at(-1)).toEqual(expect.objectContaining({ requestId, vote: 'down', platform: 'discord', userId: ALICE.id, channelId: CHANNEL_A }));
    expect(h.votes.at(-1)).not.toHaveProperty('reason');
    const votesBefore = h.votes.length;

    const submit = h.fake.submitModal(click, { reason: '  It cited the wrong runbook.  ' }, ALICE.id);
    const thanks = await h.fake.waitFor(callbackOf(submit));
    expect(thanks.body).toEqual({ type: 4, data: expect.objectContaining({ content: 'Thanks — noted.', flags: 64 }) });
    expect(h.votes.slice(votesBefore)).toEqual([
      expect.objectContaining({ requestId, vote: 'down', reason: 'It cited the wrong runbook.', userId: ALICE.id, channelId: CHANNEL_A }),
    ]);
  });

  it('only thanks for a reason form submitted empty', async () => {
    const { answer, requestId } = await answered('Rate me down, no reason');
    const click = h.fake.click(answer, `cairn:vote:down:${requestId}`, ALICE.id);
    await h.fake.waitFor(callbackOf(click));
    const votesBefore = h.votes.length;
    const submit = h.fake.submitModal(click, { reason: '   ' }, ALICE.id);
    const thanks = await h.fake.waitFor(callbackOf(submit));
    expect(thanks.body).toEqual({ type: 4, data: expect.objectContaining({ content: 'Thanks — noted.', flags: 64 }) });
    expect(h.votes.length).toBe(votesBefore);
  });

  it('keeps the 👎 and thanks privately when the reason form cannot be shown', async () => {
    const { answer, requestId } = await answered('Rate me down, no form');
    h.fake.failNext((c) => c.body?.type === 9);
    const click = h.fake.click(answer, `cairn:vote:down:${requestId}`, ALICE.id);
    const thanks = await h.fake.waitFor((c) => callbackOf(click)(c) && c.body?.type === 4);
    expect(thanks.body.data).toMatchObject({ content: 'Thanks — noted.', flags: 64 });
    expect(thanks.body.data.content).not.toMatch(/Sorry|Error|\.ts:/);
    expect(h.votes.at(-1)).toEqual(expect.objectContaining({ requestId, vote: 'down', userId: ALICE.id }));
  });

  it('ignores a modal that is not Cairn’s reason form', async () => {
    const { answer, requestId } = await answered('Foreign form');
    const click = h.fake.click(answer, `cairn:vote:down:${requestId}`, ALICE.id);
    const shown = await h.fake.waitFor(callbackOf(click));
    shown.body.data.custom_id = 'someone_else:form'; // the fake submits the modal it recorded
    const votesBefore = h.votes.length;
    const submit = h.fake.submitModal(click, { reason: 'not ours' }, ALICE.id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.fake.calls.filter(callbackOf(submit))).toEqual([]);
    expect(h.votes.length).toBe(votesBefore);
  });

  it('tells whoever clicked, privately, when a vote or a reason could not be recorded', async () => {
    const { answer, requestId } = await answered('Rate me while the database is locked');
    const recordVote = h.record;
    h.record = async () => { throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }); };
    try {
      const up = h.fake.click(answer, `cairn:vote:up:${requestId}`, ALICE.id);
      const upSaid = await h.fake.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`/${up.token}/messages/@original`));
      expect(upSaid.body.content).toMatch(/^Sorry — I could not record your vote right now\. Please try again later\. \(ref [0-9a-f]{8}\)$/);

      const down = h.fake.click(answer, `cairn:vote:down:${requestId}`, ALICE.id);
      const downSaid = await h.fake.waitFor(callbackOf(down));
      // No reason form for a vote that was not kept: the user is told instead.
      expect(downSaid.body).toEqual({ type: 4, data: expect.objectContaining({ content: expect.stringMatching(/^Sorry — I could not record your vote right now\. Please try again later\. \(ref [0-9a-f]{8}\)$/), flags: 64 }) });
    } finally {
      h.record = recordVote;
    }
    const { answer: second, requestId: secondId } = await answered('Rate me, then the database locks');
    const click = h.fake.click(second, `cairn:vote:down:${secondId}`, ALICE.id);
    await h.fake.waitFor(callbackOf(click));
    h.record = async () => { throw new Error('database or disk is full'); };
    try {
      const submit = h.fake.submitModal(click, { reason: 'Wrong page' }, ALICE.id);
      const said = await h.fake.waitFor(callbackOf(submit));
      expect(said.body).toEqual({ type: 4, data: expect.objectContaining({ content: expect.stringMatching(/^Sorry — I could not record that right now\. Please try again later\. \(ref [0-9a-f]{8}\)$/), flags: 64 }) });
    } finally {
      h.record = recordVote;
    }
  });
});
