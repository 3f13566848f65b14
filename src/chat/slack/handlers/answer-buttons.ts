import type { App, BlockAction, ButtonAction, RespondArguments, RespondFn } from '@slack/bolt';
import { unreadableCited } from '../../../core/access.js';
import { ALREADY_HANDED_OFF, ANSWER_GONE, handoffSummary, offersHandoff, recordedReply, SHARED, shareRefused, type AnswerActions } from '../../shared/answer-actions.js';
import { logError, newRef } from '../../shared/log-error.js';
import { ANSWER_ACTION, renderAnswer } from '../render/blocks.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import type { HandlerDeps } from './deps.js';

/** The buttons an answer shown here gets beside 👍/👎; none without recorded answers to look up. */
export function answerActions(deps: Pick<HandlerDeps, 'answers' | 'config'>, where: { botDm: boolean; ephemeral: boolean }): AnswerActions {
  if (!deps.answers) return {};
  return { share: where.ephemeral && !where.botDm, handoff: offersHandoff(deps.config.handoff !== undefined, where) };
}

/** `<!subteam^S…>` and `<@U…>` for everyone SLACK_HANDOFF_USERGROUP / SLACK_HANDOFF_USERS name. */
export function handoffMentions(handoff: NonNullable<HandlerDeps['config']['handoff']>): string {
  return [...(handoff.usergroup ? [`<!subteam^${handoff.usergroup}>`] : []), ...handoff.users.map((u) => `<@${u}>`)].join(' ');
}

/**
 * "Share in channel" under an ephemeral answer, and "Still need help?" under a shared one. Both look
 * the answer up by the requestId the button carries (the feedback store, any replica).
 */
export function registerAnswerButtons(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ANSWER_ACTION.share }, async ({ ack, body, action, respond }) => {
    await ack();
    deps.background('share', () =>
      guarded(deps, respond, 'sharing an answer', async (tell) => {
        const requestId = action.value;
        if (!deps.answers || !requestId) throw new Error('share button without a requestId or recorded answers');
        const answer = await deps.answers.find(requestId);
        if (!answer) return tell(ANSWER_GONE);
        const channelId = body.channel?.id ?? String(body.container.channel_id);
        // Re-checked against where it goes now: the answer was drawn for the asker alone.
        const refused = unreadableCited(deps.chat.accessGroups({ kind: 'conversation', channelId }), answer.citations);
        if (refused.length > 0) {
          deps.logger.info({ requestId, channel: channelId, refusedGroups: refused.length }, 'share refused: the channel may not read a cited document');
          return tell(shareRefused(answer.citations, refused));
        }
        const actions = answerActions(deps, { botDm: false, ephemeral: false });
        for (const m of renderAnswer(recordedReply(answer), requestId, { askedBy: { userId: body.user.id, question: answer.question }, actions })) {
          await send(respond, { response_type: 'in_channel', replace_original: false, text: m.text, blocks: m.blocks, unfurl_links: false });
        }
        // The private copy makes way, so a second click cannot post it twice.
        await send(respond, { response_type: 'ephemeral', replace_original: true, text: SHARED });
      }),
    );
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ANSWER_ACTION.handoff }, async ({ ack, body, action, respond, client }) => {
    await ack();
    deps.background('handoff', () =>
      guarded(deps, respond, 'handing off to a person', async (tell) => {
        const requestId = action.value;
        const handoff = deps.config.handoff;
        if (!deps.answers || !handoff || !requestId) throw new Error('hand-off button without a requestId, recorded answers or SLACK_HANDOFF_* config');
        const channel = body.channel?.id ?? String(body.container.channel_id);
        const message = body.message as { ts?: string; thread_ts?: string } | undefined;
        // In the answer's thread; an answer posted at the top level (/ask) starts one.
        const threadTs = message?.thread_ts ?? message?.ts ?? String(body.container.message_ts);
        const answer = await deps.answers.find(requestId);
        const about = answer ? `: “${escapeMrkdwn(handoffSummary(answer.question))}”` : ' (see the answer above).';
        const text = `${handoffMentions(handoff)} — <@${body.user.id}> still needs help with this question${about}`;
        const result = await deps.answers.handOff(
          { requestId, platform: 'slack', channelId: channel, userId: body.user.id, at: new Date().toISOString() },
          async () => void (await client.chat.postMessage({ channel, thread_ts: threadTs, text, unfurl_links: false, unfurl_media: false })),
        );
        if (result === 'already') await tell(ALREADY_HANDED_OFF);
      }),
    );
  });
}

/** respond() resolves even when Slack refuses the post; a refusal is an error here. */
async function send(respond: RespondFn, message: RespondArguments): Promise<void> {
  const res = await respond(message);
  if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
}

/** Any failure ends in a short ephemeral apology with a reference, and a log line with the same one. */
async function guarded(deps: HandlerDeps, respond: RespondFn, what: string, work: (tell: (text: string) => Promise<void>) => Promise<void>): Promise<void> {
  const tell = (text: string) => send(respond, { response_type: 'ephemeral', replace_original: false, text });
  try {
    await work(tell);
  } catch (err) {
    const ref = newRef();
    deps.logger.error({ err: logError(err), ref }, `${what} failed`);
    await tell(`Sorry — something went wrong while ${what}. Please try again. (ref ${ref})`).catch((e: unknown) => {
      deps.logger.error({ err: logError(e), ref }, 'could not tell the user about the failure');
    });
  }
}
