import type { App } from '@slack/bolt';
import { autoAnswerStateText, CHANNEL_COMMAND_USAGE, parseAutoSwitch } from '../../shared/auto-answer.js';
import { logError, newRef } from '../../shared/log-error.js';
import type { HandlerDeps } from './deps.js';

/**
 * `/cairn-channel auto on|off`: an admin makes the channel it is run in a support channel (every
 * new question answered in its thread without a mention) or stops that. Alone, it says the state.
 */
export function registerChannelCommand(app: App, deps: HandlerDeps): void {
  app.command('/cairn-channel', async ({ command, ack }) => {
    const reply = (text: string) => ack({ response_type: 'ephemeral', text });
    if (!deps.config.adminUserIds.includes(command.user_id)) {
      return reply('Sorry — only Cairn admins can change how I behave in a channel. Ask one of them to run /cairn-channel.');
    }
    const here = `<#${command.channel_id}>`;
    const on = parseAutoSwitch(command.text);
    try {
      if (on === undefined) {
        const now = await deps.autoAnswer.isOn(command.channel_id);
        return await reply(`Auto-answer is ${now ? 'on' : 'off'} in ${here}. ${CHANNEL_COMMAND_USAGE}`);
      }
      if (command.channel_id.startsWith('D')) return await reply('Run /cairn-channel in the channel you want to change, not in a direct message.');
      await deps.autoAnswer.set(command.channel_id, on, command.user_id);
      deps.logger.info({ channel: command.channel_id, by: command.user_id, autoAnswer: on }, 'channel auto-answer switched');
      const allowed = deps.config.allowedChannels;
      const warning = on && allowed.length > 0 && !allowed.includes(command.channel_id)
        ? '\nNote: this channel is not in SLACK_ALLOWED_CHANNELS, so I will not answer here until it is added.'
        : '';
      return await reply(`${autoAnswerStateText(on, here, (s) => `*${s}*`)}${warning}`);
    } catch (err) {
      const ref = newRef();
      deps.logger.error({ err: logError(err), ref, channel: command.channel_id }, '/cairn-channel failed');
      return reply(`Sorry — I could not change the setting, so it is as it was. (ref ${ref})`);
    }
  });
}
