import { Client, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { Config } from '../../config/config.js';

/**
 * The discord.js client with the gateway intents Cairn needs: guild channels and threads,
 * guild and DM messages with their content. DM channels arrive uncached, hence Partials.Channel.
 * `apiUrl` (DISCORD_API_URL) replaces the REST base, e.g. for a REST proxy.
 */
export function createDiscordClient(config: Pick<NonNullable<Config['discord']>, 'apiUrl'>, overrides: Partial<ClientOptions> = {}): Client {
  const { rest, ...others } = overrides;
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    // Answers quote documents and users: they must never ping @everyone, roles or people.
    allowedMentions: { parse: [], repliedUser: false },
    ...others,
    rest: { ...(config.apiUrl ? { api: config.apiUrl.replace(/\/+$/, '') } : {}), ...rest },
  });
}
