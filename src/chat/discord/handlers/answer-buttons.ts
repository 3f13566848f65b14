import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { unreadableCited } from '../../../core/access.js';
import type { Logger } from '../../../core/logger.js';
import { ALREADY_HANDED_OFF, ANSWER_GONE, handoffSummary, offersHandoff, recordedReply, SHARED, shareRefused, type AnswerActions } from '../../shared/answer-actions.js';
import { accessChannelId } from '../conversation.js';
import { parseAnswerButton } from '../render/feedback-buttons.js';
import { renderOutcome } from '../render/outcome.js';
import type { HandlerDeps } from './deps.js';
import { logError, newRef } from '../../shared/log-error.js';

/** The buttons an answer shown here gets beside 👍/👎; none without recorded answers to look up. */
export function answerActions(deps: Pick<HandlerDeps, 'answers' | 'handoffRoleId'>, where: { botDm: boolean; ephemeral: boolean }): AnswerActions {
  if (!deps.answers) return {};
  return { share: where.ephemeral && !where.botDm, handoff: offersHandoff(deps.handoffRoleId !== undefined, where) };
}

/**
 * A Share or "Still need help?" click; false for any other button. Both are acknowledged without a
 * visible change first (Discord fails a click not answered within 3 s), then answered with follow-ups:
 * public for what everyone should see, ephemeral for what only the clicker should.
 */
export async function handleAnswerButton(deps: HandlerDeps, i: ButtonInteraction, log: Logger): Promise<boolean> {
  const parsed = parseAnswerButton(i.customId);
  if (!parsed) return false;
  await i.deferUpdate();
  const tell = (content: string) => i.followUp({ content, flags: MessageFlags.Ephemeral });
  try {
    if (!deps.answers) throw new Error('answer button without recorded answers');
    if (parsed.action === 'share') await share(deps, i, parsed.requestId, tell, log);
    else await handOff(deps, i, parsed.requestId, tell);
  } catch (err) {
    // Told privately: the generic apology would edit the message the button is on, the answer itself.
    const ref = newRef();
    log.error({ err: logError(err), requestId: parsed.requestId, ref }, `${parsed.action === 'share' ? 'sharing an answer' : 'handing off to a person'} failed`);
    await tell(`Sorry — something went wrong while ${parsed.action === 'share' ? 'sharing the answer' : 'handing off to a person'}. Please try again. (ref ${ref})`)
      .catch((e: unknown) => log.error({ err: logError(e), ref }, 'could not tell the user about the failure'));
  }
  return true;
}

async function share(deps: HandlerDeps, i: ButtonInteraction, requestId: string, tell: (content: string) => Promise<unknown>, log: Logger): Promise<void> {
  const answer = await deps.answers!.find(requestId);
  if (!answer) {
    await tell(ANSWER_GONE);
    return;
  }
  // Re-checked against where it goes now: the answer was drawn for the asker alone.
  const channelId = accessChannelId(i.channel, i.channelId);
  const refused = unreadableCited(deps.chat.accessGroups({ kind: 'conversation', channelId }), answer.citations);
  if (refused.length > 0) {
    log.info({ requestId, refusedGroups: refused.length }, 'share refused: the channel may not read a cited document');
    await tell(shareRefused(answer.citations, refused));
    return;
  }
  const outcome = { kind: 'answer' as const, requestId, reply: recordedReply(answer) };
  const actions = answerActions(deps, { botDm: false, ephemeral: false });
  const messages = renderOutcome(outcome, { byline: `-# Shared by <@${i.user.id}>`, quote: answer.question, actions });
  // The mention names who shared it without pinging them.
  for (const m of messages) await i.followUp({ ...m, allowedMentions: { parse: [] } });
  // The private copy makes way, so a second click cannot post it twice.
  await i.editReply({ content: SHARED, embeds: [], components: [] });
  log.info({ requestId }, 'private answer shared');
}

async function handOff(deps: HandlerDeps, i: ButtonInteraction, requestId: string, tell: (content: string) => Promise<unknown>): Promise<void> {
  const role = deps.handoffRoleId;
  if (!role) throw new Error('hand-off button without DISCORD_HANDOFF_ROLE');
  const answer = await deps.answers!.find(requestId);
  const about = answer ? `: “${handoffSummary(answer.question)}”` : ' (see the answer above).';
  const result = await deps.answers!.handOff(
    { requestId, platform: 'discord', channelId: accessChannelId(i.channel, i.channelId), userId: i.user.id, at: new Date().toISOString() },
    // In the channel or thread the answer is in; only the role is pinged, never anyone the question names.
    async () => void (await i.followUp({ content: `<@&${role}> — <@${i.user.id}> still needs help with this question${about}`, allowedMentions: { roles: [role] } })),
  );
  if (result === 'already') await tell(ALREADY_HANDED_OFF);
}
