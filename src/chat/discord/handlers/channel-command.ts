import { ChannelType, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { Logger } from '../../../core/logger.js';
import { autoAnswerStateText } from '../../shared/auto-answer.js';
import type { HandlerDeps } from './deps.js';

const NOT_ADMIN = 'Sorry — only Cairn admins can change how I behave in a channel. Ask someone with a role listed in DISCORD_ADMIN_ROLE_IDS.';
const NOT_A_FORUM = 'On Discord I answer without a mention in forum channels: run /cairn-channel inside any post of the forum you want to change.';

/**
 * `/cairn-channel auto:on|off`, run inside a forum post: an admin switches answering every new post
 * of that forum. A forum has no message box of its own, so the post stands for its forum. Without
 * `auto` it says the state. Answered privately.
 */
export async function switchChannel(deps: HandlerDeps, i: ChatInputCommandInteraction, isAdmin: boolean, log: Logger): Promise<void> {
  const say = (content: string) => i.reply({ content, flags: MessageFlags.Ephemeral });
  if (!isAdmin) return void (await say(NOT_ADMIN));
  const channel = i.channel;
  const forumId = channel?.isThread() && channel.parentId && (await isForum(i, channel.parentId)) ? channel.parentId : null;
  if (!forumId) return void (await say(NOT_A_FORUM));
  const here = `<#${forumId}>`;
  const choice = i.options.getString('auto');
  if (choice === null) {
    const on = await deps.autoAnswer.isOn(forumId);
    return void (await say(`Auto-answer is ${on ? 'on' : 'off'} in ${here}. Use \`/cairn-channel auto:on\` or \`auto:off\` in a post of the forum to change.`));
  }
  const on = choice === 'on';
  await deps.autoAnswer.set(forumId, on, i.user.id);
  log.info({ forum: forumId, by: i.user.id, autoAnswer: on }, 'forum auto-answer switched');
  await say(autoAnswerStateText(on, here, (s) => `**${s}**`));
}

/** A replica serving interactions over HTTP may have no guild cache: the parent is then read from Discord. */
async function isForum(i: ChatInputCommandInteraction, channelId: string): Promise<boolean> {
  const parent = i.client.channels.cache.get(channelId) ?? await i.client.channels.fetch(channelId, { allowUnknownGuild: true });
  return parent?.type === ChannelType.GuildForum;
}
