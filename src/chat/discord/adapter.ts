import { Events, Routes, type Client, type ClientOptions, type RESTGetAPIGatewayBotResult } from 'discord.js';
import { once } from 'node:events';
import type { Config } from '../../config/config.js';
import { CairnError } from '../../core/errors.js';
import { MemoryChannelSettings } from '../../shared-state/channel-settings.js';
import { MemoryLeases } from '../../shared-state/lease.js';
import { MemoryThreadRegistry } from '../../shared-state/threads.js';
import type { ChatSurface, SurfaceDeps } from '../surface.js';
import { createDiscordClient } from './client.js';
import { registerCommands } from './commands.js';
import { routeEvents } from './gateway.js';
import type { HandlerDeps } from './handlers/deps.js';
import { createInteractionHandler } from './handlers/interactions.js';
import { createMessageHandler } from './handlers/messages.js';
import { interactionsEndpoint } from './http/endpoint.js';
import { emitRawInteraction } from './http/raw-interaction.js';
import { ShardKeeper, type ShardConnection } from './shards.js';
import { AutoAnswerChannels } from '../shared/auto-answer.js';
import { logError } from '../shared/log-error.js';
import { gapsSummaryMessages } from './render/admin.js';

export type DiscordConfig = NonNullable<Config['discord']>;

/** Where Discord's outgoing webhook posts interactions when DISCORD_INTERACTIONS=http. */
export const INTERACTIONS_PATH = '/discord/interactions';

export interface DiscordAdapterOptions {
  /** Merged over Cairn's client options (intents, partials, REST base); tests set `rest.retries` and `rest.timeout`. */
  clientOptions?: Partial<ClientOptions>;
  /** Least time between two progress edits of one message. Default 1500 ms. */
  progressIntervalMs?: number;
  /** How long `stop()` waits for answers in flight before disconnecting. Default 10 s. */
  shutdownGraceMs?: number;
  /** Shard lease timing (src/chat/discord/shards.ts); the defaults take a dead holder's shard over within 15 s. */
  shardLeaseTtlMs?: number;
  shardClaimIntervalMs?: number;
}

/**
 * The Discord surface. start() checks the token and learns the shard count (GET /gateway/bot), then
 * connects the gateway shards whose lease this replica wins (all of them in a single process) and
 * keeps claiming free ones. With DISCORD_INTERACTIONS=http it also serves /discord/interactions,
 * whether or not it holds a shard.
 */
export function createDiscordAdapter(deps: SurfaceDeps, discord: { config: DiscordConfig; options?: DiscordAdapterOptions }): ChatSurface {
  const { config, options = {} } = discord;
  const log = deps.logger.child({ platform: 'discord' });
  let keeper: ShardKeeper | null = null;
  const handlerDeps: HandlerDeps = {
    ...deps, logger: log, adminRoleIds: config.adminRoleIds, ...(config.handoffRoleId ? { handoffRoleId: config.handoffRoleId } : {}), progressIntervalMs: options.progressIntervalMs ?? 1500,
    autoAnswer: new AutoAnswerChannels('discord', config.autoAnswerChannels ?? [], deps.channelSettings ?? new MemoryChannelSettings(), (err) => {
      log.warn({ err: logError(err) }, 'could not read a channel setting; using DISCORD_AUTO_ANSWER_CHANNELS');
    }),
    supportThreads: deps.delivery?.threads ?? new MemoryThreadRegistry(),
    gatewayStatus: () => keeper?.status() ?? null,
  };
  const handlers = { message: createMessageHandler(handlerDeps), interaction: createInteractionHandler(handlerDeps) };
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    const settled = work.catch((err: unknown) => log.error({ err: logError(err) }, 'unhandled error in a discord handler')).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  // Never logged in: REST calls, and the interactions that arrive over HTTP.
  const restClient = createDiscordClient(config, options.clientOptions);
  restClient.rest.setToken(config.token);
  restClient.on(Events.InteractionCreate, (interaction) => track(handlers.interaction(interaction)));
  const connectionError = (err: unknown) =>
    new CairnError('CONFIG', `Could not connect to Discord: ${(err as Error).message}. Check DISCORD_TOKEN${config.apiUrl ? ' and DISCORD_API_URL' : ''}.`, { cause: err });

  let commandsRegistered = false;
  const connectShard = async (shard: number, shardCount: number): Promise<ShardConnection> => {
    const client = createDiscordClient(config, { ...options.clientOptions, shards: [shard], shardCount });
    routeEvents(client, handlers, track, log);
    try {
      // Both at once: if login fails, Promise.all also handles a later rejection of `once`.
      await Promise.all([once(client, Events.ClientReady), client.login(config.token)]);
    } catch (err) {
      await client.destroy();
      throw connectionError(err);
    }
    const readyClient = client as Client<true>;
    log.info({ shard, shardCount, user: readyClient.user.id, guilds: client.guilds.cache.size }, 'connected to discord');
    if (!commandsRegistered) {
      commandsRegistered = true;
      await register(readyClient);
    }
    return { close: () => client.destroy() };
  };
  const register = async (client: Client<true>) => {
    try {
      const count = await registerCommands(client, config.applicationId);
      log.info({ count }, 'slash commands registered');
    } catch (err) {
      // Mentions and DMs still work without slash commands, so this does not stop the bot.
      log.error({ err: logError(err) }, 'could not register slash commands: invite the bot with the applications.commands scope and check DISCORD_APPLICATION_ID');
    }
  };

  const gapsChannel = config.gapsChannel;
  return {
    name: 'discord',
    ...(config.interactions === 'http' && config.publicKey
      ? { routes: { [INTERACTIONS_PATH]: interactionsEndpoint({ publicKey: config.publicKey, logger: log, dispatch: (data) => emitRawInteraction(restClient, data) }) } }
      : {}),
    ...(gapsChannel
      ? {
          gapsChannel: {
            id: gapsChannel,
            async post(report) {
              // Over REST, so a replica posts whether or not it holds a gateway shard; the questions quoted ping nobody.
              for (const content of gapsSummaryMessages(report)) {
                await restClient.rest.post(Routes.channelMessages(gapsChannel), { body: { content, allowed_mentions: { parse: [] } } });
              }
            },
          },
        }
      : {}),
    async start() {
      let gateway: RESTGetAPIGatewayBotResult;
      try {
        gateway = await restClient.rest.get(Routes.gatewayBot()) as RESTGetAPIGatewayBotResult;
      } catch (err) {
        throw connectionError(err);
      }
      const shardCount = config.shardCount === 'auto' ? gateway.shards : config.shardCount;
      keeper = new ShardKeeper({
        shardCount,
        leases: deps.leases ?? new MemoryLeases(),
        connect: (shard) => connectShard(shard, shardCount),
        logger: log,
        ...(options.shardLeaseTtlMs ? { leaseTtlMs: options.shardLeaseTtlMs } : {}),
        ...(options.shardClaimIntervalMs ? { claimIntervalMs: options.shardClaimIntervalMs } : {}),
      });
      await keeper.start();
      log.info({ shardCount, held: keeper.status().held.map((h) => h.shard), interactions: config.interactions }, 'discord surface started');
    },
    async stop() {
      await keeper?.stopClaiming();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.shutdownGraceMs ?? 10_000)));
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      clearTimeout(timer);
      await keeper?.disconnect();
      await restClient.destroy();
    },
  };
}
