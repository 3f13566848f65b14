import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';

/** Custom ids look like `cairn:vote:up:<requestId>`, so a click names the answer it judges. */
const PREFIX = 'cairn:vote:';

export type Vote = 'up' | 'down';

export function feedbackRow(requestId: string): APIActionRowComponent<APIComponentInMessageActionRow> {
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${PREFIX}up:${requestId}`, emoji: { name: '👍' }, label: 'Helpful' },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${PREFIX}down:${requestId}`, emoji: { name: '👎' }, label: 'Not helpful' },
    ],
  };
}

/** The vote a button's custom id carries, or null for a button that is not a Cairn vote. */
export function parseVote(customId: string): { vote: Vote; requestId: string } | null {
  const m = /^cairn:vote:(up|down):(.+)$/.exec(customId);
  return m ? { vote: m[1] as Vote, requestId: m[2]! } : null;
}
