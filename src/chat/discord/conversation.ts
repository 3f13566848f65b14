import { cleanContent, type Channel, type Message } from 'discord.js';

/**
 * The question a message asks: the bot's own mention removed, other mentions turned into
 * readable names (`@alice`, `#general`) so the model sees words, not ids.
 */
export function questionText(message: Message, botId: string): string {
  const withoutBot = message.content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ');
  return cleanContent(withoutBot, message.channel).trim();
}

/**
 * The channel whose access groups apply. A thread has no configuration of its own: it shares
 * its parent channel's audience, so it gets the parent's groups.
 */
export function accessChannelId(channel: Channel | null, channelId: string): string {
  return channel?.isThread() ? (channel.parentId ?? channelId) : channelId;
}
