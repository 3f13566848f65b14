import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Audience } from '../../core/access.js';

/** What Cairn needs to know about a Slack conversation before it answers there. */
export interface SlackConversation {
  /** A DM between Cairn and this one user: they alone see what is posted. */
  botDm: boolean;
  /** Who sees a reply posted into the conversation. */
  audience: Audience;
  /** Whether Cairn answers here (SLACK_ALLOWED_CHANNELS; its own DMs always). */
  allowed: boolean;
}

/**
 * The facts of a conversation, decided here once for messages, slash commands and listings.
 * `botDm` must come from Slack: an event's `channel_type: 'im'` (events reach Cairn only from
 * conversations it is in, and an IM holds two members) or, for a slash command, `ImLookup`, because
 * a command can be run in a DM between two people that Cairn is not part of.
 */
export function slackConversation(where: { channel: string; userId: string; botDm: boolean }, allowedChannels: readonly string[]): SlackConversation {
  if (where.botDm) return { botDm: true, audience: { kind: 'person', userId: where.userId }, allowed: true };
  return {
    botDm: false,
    audience: { kind: 'conversation', channelId: where.channel },
    allowed: allowedChannels.length === 0 || allowedChannels.includes(where.channel),
  };
}

/** Whether an Events API message came from Cairn's own DM with its sender. */
export function eventIsBotDm(e: { channel: string; channelType?: string }): boolean {
  // app_mention events carry no channel_type; an IM Cairn receives events from is its own.
  return e.channelType === 'im' || (e.channelType === undefined && e.channel.startsWith('D'));
}

/**
 * Whether a slash command's channel is Cairn's own DM with the invoker. `conversations.info` answers
 * `is_im` with the other member for Cairn's IMs, and `channel_not_found` for a DM between two people
 * that Cairn is not in. Any failure counts as "not Cairn's DM", the stricter answer.
 */
export class ImLookup {
  private readonly known: LRUCache<string, Promise<string | null>>;

  constructor(private readonly client: webApi.WebClient, ttlMs = 10 * 60_000) {
    this.known = new LRUCache({ max: 10_000, ttl: ttlMs });
  }

  async isBotDm(channel: string, userId: string): Promise<boolean> {
    if (!channel.startsWith('D')) return false;
    let member = this.known.get(channel);
    if (!member) {
      member = this.imMember(channel);
      this.known.set(channel, member);
    }
    return (await member) === userId;
  }

  private async imMember(channel: string): Promise<string | null> {
    try {
      const res = await this.client.conversations.info({ channel });
      const c = res.channel as { is_im?: boolean; user?: string } | undefined;
      return c?.is_im && c.user ? c.user : null;
    } catch {
      // Not cached as a "no" for long: a transient failure should not stick.
      this.known.delete(channel);
      return null;
    }
  }
}

/** The facts of the conversation a slash command was run in. */
export async function commandConversation(
  command: { channel_id: string; user_id: string },
  ims: ImLookup,
  allowedChannels: readonly string[],
): Promise<SlackConversation> {
  const botDm = await ims.isBotDm(command.channel_id, command.user_id);
  return slackConversation({ channel: command.channel_id, userId: command.user_id, botDm }, allowedChannels);
}
