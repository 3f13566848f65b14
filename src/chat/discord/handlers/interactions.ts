import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import type { Logger } from '../../../core/logger.js';
import { loggable } from '../log-safe.js';
import { commandHandlers } from './commands.js';
import type { HandlerDeps } from './deps.js';
import { handleReason, handleVote } from './feedback.js';

const SORRY = 'Sorry — something went wrong on my side. Please try again.';
const UNKNOWN_COMMAND = 'I do not know that command any more — try /ask.';

/**
 * Slash commands, 👍/👎 clicks and 👎 reason forms. Every command is acknowledged (deferred) first, well inside
 * Discord's 3 s, then answered by editing the deferred reply and following up.
 */
export function createInteractionHandler(deps: HandlerDeps): (interaction: Interaction) => Promise<void> {
  const handlers = commandHandlers(deps);
  return async (interaction) => {
    if (!interaction.isRepliable()) return;
    const log = deps.logger.child({ channel: interaction.channelId, interaction: interaction.id });
    try {
      if (interaction.isButton()) await handleVote(deps.feedback, interaction, log);
      else if (interaction.isModalSubmit()) await handleReason(deps.feedback, interaction, log);
      else if (interaction.isChatInputCommand()) {
        const handler = handlers[interaction.commandName];
        if (handler) await handler(interaction, log);
        else await interaction.reply({ content: UNKNOWN_COMMAND, flags: MessageFlags.Ephemeral });
      }
    } catch (err) {
      log.error({ err: loggable(err) }, 'handling an interaction failed');
      await apologise(interaction, log);
    }
  };
}

async function apologise(i: RepliableInteraction, log: Logger): Promise<void> {
  try {
    if (i.deferred || i.replied) await i.editReply({ content: SORRY, embeds: [], components: [] });
    else await i.reply({ content: SORRY, flags: MessageFlags.Ephemeral });
  } catch (err) {
    log.error({ err: loggable(err) }, 'could not tell the user that the interaction failed');
  }
}
