import { ChannelType, cleanContent, InteractionContextType, type Channel, type Message } from 'discord.js';
import type { Audience } from '../../core/access.js';

/**
 * The question a message asks: the bot's own mention removed, other mentions turned into
 * readable names (`@alice`, `#general`) so the model sees words, not ids.
 */
export function questionText(message: Message, botId: string): string {
  const withoutBot = message.content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ');
  return cleanContent(withoutBot, message.channel).trim();
}

/** What Cairn needs to know about a Discord conversation before it answers there. */
export interface DiscordConversation {
  /** A DM between Cairn and this one user: they alone see what is posted. */
  botDm: boolean;
  /**
   * The channel whose access groups apply. A thread or forum post has no configuration of its own:
   * it shares its parent channel's audience.
   */
  accessChannelId: string;
  /** Who sees a reply posted into the conversation. */
  audience: Audience;
  /** Whether Cairn answers here (every channel it can read, today). */
  allowed: boolean;
}

/**
 * The facts of a conversation, decided here once for messages and interactions. `botDm` is true only
 * for Cairn's own DM: a message event's DM channel, or an interaction whose context is `BotDM`. A
 * user-installed command in a DM or group DM between people (context `PrivateChannel`) is seen by all
 * of them, like a channel.
 */
export function discordConversation(where: { channel: Channel | null; channelId: string; userId: string; context?: InteractionContextType | null }): DiscordConversation {
  const botDm = where.context !== undefined && where.context !== null
    ? where.context === InteractionContextType.BotDM
    : where.channel?.type === ChannelType.DM;
  if (botDm) return { botDm, accessChannelId: where.channelId, audience: { kind: 'person', userId: where.userId }, allowed: true };
  const channelId = accessChannelId(where.channel, where.channelId);
  return { botDm, accessChannelId: channelId, audience: { kind: 'conversation', channelId }, allowed: true };
}

/** A thread (or forum post) shares its parent channel's audience, so the parent's id decides access. */
export function accessChannelId(channel: Channel | null, channelId: string): string {
  return channel?.isThread() ? (channel.parentId ?? channelId) : channelId;
}
