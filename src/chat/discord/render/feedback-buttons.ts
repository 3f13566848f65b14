import {
  ButtonStyle, ComponentType, TextInputStyle,
  type APIActionRowComponent, type APIComponentInMessageActionRow, type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import { HANDOFF_LABEL, SHARE_LABEL, type AnswerActions } from '../../shared/answer-actions.js';

/** Custom ids look like `cairn:vote:up:<requestId>`, so a click names the answer it judges. */
const PREFIX = 'cairn:vote:';
/** The 👎 reason form's custom id, `cairn_reason:<requestId>`, names the answer its submission judges. */
const REASON_PREFIX = 'cairn_reason:';
/** The text input's custom id inside the reason form. */
export const REASON_INPUT = 'reason';

export type Vote = 'up' | 'down';

/** Share and hand-off buttons: `cairn:share:<requestId>`, `cairn:handoff:<requestId>` (well under the 100-character limit). */
const ANSWER_PREFIX = 'cairn:';

/** 👍/👎, with Share and "Still need help?" when asked for; under a decline the hand-off comes first, highlighted. */
export function feedbackRow(requestId: string, actions: AnswerActions = {}, declined = false): APIActionRowComponent<APIComponentInMessageActionRow> {
  const votes = [
    { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${PREFIX}up:${requestId}`, emoji: { name: '👍' }, label: 'Helpful' },
    { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${PREFIX}down:${requestId}`, emoji: { name: '👎' }, label: 'Not helpful' },
  ] as const;
  const share = actions.share ? [{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${ANSWER_PREFIX}share:${requestId}`, emoji: { name: '📢' }, label: SHARE_LABEL } as const] : [];
  const handoff = actions.handoff
    ? [{ type: ComponentType.Button, style: declined ? ButtonStyle.Primary : ButtonStyle.Secondary, custom_id: `${ANSWER_PREFIX}handoff:${requestId}`, emoji: { name: '🙋' }, label: HANDOFF_LABEL } as const]
    : [];
  return { type: ComponentType.ActionRow, components: declined ? [...handoff, ...share, ...votes] : [...votes, ...share, ...handoff] };
}

/** The Share or hand-off button a custom id names, or null for any other. */
export function parseAnswerButton(customId: string): { action: 'share' | 'handoff'; requestId: string } | null {
  const m = /^cairn:(share|handoff):(.+)$/.exec(customId);
  return m ? { action: m[1] as 'share' | 'handoff', requestId: m[2]! } : null;
}

/** The vote a button's custom id carries, or null for a button that is not a Cairn vote. */
export function parseVote(customId: string): { vote: Vote; requestId: string } | null {
  const m = /^cairn:vote:(up|down):(.+)$/.exec(customId);
  return m ? { vote: m[1] as Vote, requestId: m[2]! } : null;
}

/**
 * The form a 👎 opens: one optional paragraph. A Label wraps the input because action rows in
 * modals are deprecated by Discord.
 */
export function reasonModal(requestId: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: `${REASON_PREFIX}${requestId}`,
    title: 'What was wrong with the answer?',
    components: [{
      type: ComponentType.Label,
      label: 'What was missing or wrong?',
      description: 'Optional. It helps improve the answers.',
      component: { type: ComponentType.TextInput, custom_id: REASON_INPUT, style: TextInputStyle.Paragraph, required: false, max_length: 1000 },
    }],
  };
}

/** The request a submitted reason form judges, or null for a form that is not Cairn's. */
export function parseReasonModal(customId: string): string | null {
  return customId.startsWith(REASON_PREFIX) && customId.length > REASON_PREFIX.length ? customId.slice(REASON_PREFIX.length) : null;
}
