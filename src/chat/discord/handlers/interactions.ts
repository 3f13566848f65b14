import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import type { Logger } from '../../../core/logger.js';
import { commandHandlers } from './commands.js';
import type { HandlerDeps } from './deps.js';
import { handleReason, handleVote } from './feedback.js';
import { handleAnswerButton } from './answer-buttons.js';
import { logError, newRef } from '../../shared/log-error.js';

const sorry = (ref: string): string => `Sorry — something went wrong on my side. Please try again. (ref ${ref})`;
const UNKNOWN_COMMAND = 'I do not know that command any more — try /ask.';

/**
 * Slash commands, 👍/👎, Share and hand-off clicks, and 👎 reason forms. Every command is acknowledged (deferred) first, well inside
 * Discord's 3 s, then answered by editing the deferred reply and following up.
 */
export function createInteractionHandler(deps: HandlerDeps): (interaction: Interaction) => Promise<void> {
  const handlers = commandHandlers(deps);
  return async (interaction) => {
    if (!interaction.isRepliable()) return;
    const log = deps.logger.child({ channel: interaction.channelId, interaction: interaction.id });
    // Several replicas on one token may each receive it; only the first to claim it answers.
    if (deps.delivery && !(await deps.delivery.dedupe.claim(`discord:interaction:${interaction.id}`))) {
      log.debug('interaction already handled by another replica');
      return;
    }
    try {
      if (interaction.isButton()) {
        if (!(await handleAnswerButton(deps, interaction, log))) await handleVote(deps.feedback, interaction, log);
      }
      else if (interaction.isModalSubmit()) await handleReason(deps.feedback, interaction, log);
      else if (interaction.isChatInputCommand()) {
        const handler = handlers[interaction.commandName];
        if (handler) await handler(interaction, log);
        else await interaction.reply({ content: UNKNOWN_COMMAND, flags: MessageFlags.Ephemeral });
      }
    } catch (err) {
      const ref = newRef();
      log.error({ err: logError(err), ref }, 'handling an interaction failed');
      await apologise(interaction, ref, log);
    }
  };
}

/** A short apology with the reference its log line carries. */
async function apologise(i: RepliableInteraction, ref: string, log: Logger): Promise<void> {
  const content = sorry(ref);
  try {
    if (i.deferred || i.replied) await i.editReply({ content, embeds: [], components: [] });
    else await i.reply({ content, flags: MessageFlags.Ephemeral });
  } catch (err) {
    log.error({ err: logError(err), ref }, 'could not tell the user that the interaction failed');
  }
}
