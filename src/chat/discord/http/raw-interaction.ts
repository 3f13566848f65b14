import type { APIInteraction, Channel, Client } from 'discord.js';

/** The discord.js internals this needs; a discord.js upgrade that moves them fails test/chat/discord/http/endpoint.test.ts. */
interface ClientInternals {
  actions: { InteractionCreate: { handle(data: APIInteraction): void }; injectedChannel: symbol };
  channels: { _add(data: unknown, guild: null, opts: { cache: boolean; allowUnknownGuild: boolean }): Channel | null };
}

/**
 * Emits an interaction received over HTTP as the `interactionCreate` event the gateway path emits, by
 * running discord.js' own INTERACTION_CREATE action (discord.js has no HTTP receiver,
 * discordjs/discord.js#7231): the same interaction classes, the same listeners, the same replies.
 *
 * A replica serving HTTP may hold no gateway shard, so its guilds are not cached and discord.js would
 * drop a guild channel. The channel is built from the payload with no guild (as discord.js does for
 * `channels.fetch(id, { allowUnknownGuild: true })`), cached so `interaction.channel` finds it (a thread
 * then still resolves to its parent for the access rule), and handed to the action ready-made.
 */
export function emitRawInteraction(client: Client, data: APIInteraction): void {
  const internals = client as unknown as ClientInternals;
  if (data.channel && data.guild_id) {
    const channel = client.channels.cache.get(data.channel.id)
      ?? internals.channels._add({ guild_id: data.guild_id, ...data.channel }, null, { cache: false, allowUnknownGuild: true });
    if (channel) {
      client.channels.cache.set(channel.id, channel);
      Object.assign(data.channel, { [internals.actions.injectedChannel]: channel });
    }
  }
  internals.actions.InteractionCreate.handle(data);
}
