import { Events, type Client, type ClientOptions } from 'discord.js';
import { once } from 'node:events';
import type { Config } from '../../config/config.js';
import { CairnError } from '../../core/errors.js';
import type { ChatSurface, SurfaceDeps } from '../surface.js';
import { createDiscordClient } from './client.js';
import { registerCommands } from './commands.js';
import { routeEvents } from './gateway.js';
import type { HandlerDeps } from './handlers/deps.js';
import { createInteractionHandler } from './handlers/interactions.js';
import { createMessageHandler } from './handlers/messages.js';
import { logError } from '../shared/log-error.js';

export type DiscordConfig = NonNullable<Config['discord']>;

export interface DiscordAdapterOptions {
  /** Merged over Cairn's client options (intents, partials, REST base); tests set `rest.retries` and `rest.timeout`. */
  clientOptions?: Partial<ClientOptions>;
  /** Least time between two progress edits of one message. Default 1500 ms. */
  progressIntervalMs?: number;
  /** How long `stop()` waits for answers in flight before disconnecting. Default 10 s. */
  shutdownGraceMs?: number;
}

/** The Discord surface: start() logs in, waits until the guilds are loaded, and registers the slash commands. */
export function createDiscordAdapter(deps: SurfaceDeps, discord: { config: DiscordConfig; options?: DiscordAdapterOptions }): ChatSurface {
  const { config, options = {} } = discord;
  const log = deps.logger.child({ platform: 'discord' });
  const handlerDeps: HandlerDeps = { ...deps, logger: log, adminRoleIds: config.adminRoleIds, progressIntervalMs: options.progressIntervalMs ?? 1500 };
  const client = createDiscordClient(config, options.clientOptions);
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    const settled = work.catch((err: unknown) => log.error({ err: logError(err) }, 'unhandled error in a discord handler')).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  routeEvents(client, {
    message: createMessageHandler(handlerDeps),
    interaction: createInteractionHandler(handlerDeps),
  }, track, log);

  return {
    name: 'discord',
    async start() {
      try {
        // Both at once: if login fails, Promise.all also handles a later rejection of `once`.
        await Promise.all([once(client, Events.ClientReady), client.login(config.token)]);
      } catch (err) {
        throw new CairnError('CONFIG', `Could not connect to Discord: ${(err as Error).message}. Check DISCORD_TOKEN${config.apiUrl ? ' and DISCORD_API_URL' : ''}.`, { cause: err });
      }
      const readyClient = client as Client<true>;
      log.info({ user: readyClient.user.id, guilds: client.guilds.cache.size }, 'connected to discord');
      try {
        const count = await registerCommands(readyClient, config.applicationId);
        log.info({ count }, 'slash commands registered');
      } catch (err) {
        // Mentions and DMs still work without slash commands, so this does not stop the bot.
        log.error({ err: logError(err) }, 'could not register slash commands: invite the bot with the applications.commands scope and check DISCORD_APPLICATION_ID');
      }
    },
    async stop() {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.shutdownGraceMs ?? 10_000)));
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      clearTimeout(timer);
      await client.destroy();
    },
  };
}
