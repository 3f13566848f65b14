import { Events, MessageType, type Client, type Interaction, type Message } from 'discord.js';
import type { Logger } from '../../core/logger.js';
import { logError } from '../shared/log-error.js';

export interface EventHandlers {
  message(message: Message): Promise<void>;
  interaction(interaction: Interaction): Promise<void>;
}

/**
 * Routes gateway events to the handlers after a cheap prefilter, and hands every handler's
 * promise to `track` so shutdown can wait for answers in flight.
 */
export function routeEvents(client: Client, handlers: EventHandlers, track: (work: Promise<void>) => void, logger: Logger): void {
  client.on(Events.MessageCreate, (message) => {
    if (isQuestionCandidate(message)) track(handlers.message(message));
  });
  client.on(Events.InteractionCreate, (interaction) => track(handlers.interaction(interaction)));
  client.on(Events.Error, (err) => logger.error({ err: logError(err) }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ code: event.code, shard }, 'discord gateway disconnected'));
  client.on(Events.ShardResume, (shard) => logger.info({ shard }, 'discord gateway resumed'));
}

/** People's ordinary messages with text: never bots (this one included), webhooks or system notices. */
export function isQuestionCandidate(message: Message): boolean {
  if (message.author.bot || message.system || message.webhookId) return false;
  if (message.type !== MessageType.Default && message.type !== MessageType.Reply) return false;
  return message.content.trim().length > 0;
}
