import type { APIInteraction, Channel, Client } from 'discord.js';

/** The two discord.js internals this needs; a discord.js upgrade that moves them fails test/chat/discord/http-interactions.test.ts. */
interface ClientInternals {
  actions: { InteractionCreate: { handle(data: APIInteraction): void } };
  channels: { _add(data: unknown, guild: null, opts: { cache: boolean; allowUnknownGuild: boolean }): Channel | null };
}

/**
 * Emits an interaction received over HTTP as the `interactionCreate` event the gateway path emits, by
 * running discord.js' own INTERACTION_CREATE action (discord.js has no HTTP receiver,
 * discordjs/discord.js#7231): the same interaction classes, the same listeners, the same replies.
 *
 * A replica serving HTTP may hold no gateway shard, so the guild is not cached and discord.js would
 * drop the interaction's channel; it is cached from the payload first, so a thread still resolves to
 * its parent channel for the access rule.
 */
export function emitRawInteraction(client: Client, data: APIInteraction): void {
  const internals = client as unknown as ClientInternals;
  if (data.channel && data.guild_id && !client.channels.cache.has(data.channel.id)) {
    const channel = internals.channels._add({ guild_id: data.guild_id, ...data.channel }, null, { cache: false, allowUnknownGuild: true });
    if (channel) client.channels.cache.set(channel.id, channel);
  }
  internals.actions.InteractionCreate.handle(data);
}
